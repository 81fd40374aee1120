package io.kubeai.simulator.jobs.online;

import io.kubeai.simulator.trace.OpenbTrace;
import io.kubeai.simulator.trace.TraceSource;
import java.util.Arrays;
import java.util.Locale;

/**
 * A daily shape: 24 hourly levels in [0, 1] (the lowest hour 0, the highest 1), read between the
 * hours by straight lines and repeated every day. Simulation seconds are read as UTC seconds of
 * the day ({@code seconds mod 86,400}), as the scheduler's windows read them. Immutable.
 *
 * <p>{@link #openbOnline()} is the shape calibrated on Alibaba's openb v2023 trace: how many
 * latency-sensitive ({@code qos=LS}) pods were created in each hour of the day over the trace's
 * months, smoothed over three hours. The trace gives seconds from its start, not a wall clock,
 * so the shape is shifted to put its trough at 04:00 (the night trough of online services); its
 * amplitude (trough a quarter of the peak before normalising) is the trace's.
 */
public final class DiurnalCurve {
    public static final long DAY_SECONDS = 86_400;
    private static final long HOUR = 3_600;
    private static DiurnalCurve openbOnline;
    private static DiurnalCurve openbBestEffort;

    private final double[] levels;

    private DiurnalCurve(double[] levels) {
        this.levels = levels;
    }

    /**
     * The curve through 24 hourly levels (level {@code h} at {@code h:00}), scaled so that the
     * lowest is 0 and the highest 1; a flat list gives a flat curve at 0.
     */
    public static DiurnalCurve of(double... hourly) {
        if (hourly.length != 24) {
            throw new IllegalArgumentException("a daily curve has 24 hourly levels, got " + hourly.length);
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int h = 0; h < 24; h++) {
            if (!Double.isFinite(hourly[h]) || hourly[h] < 0) {
                throw new IllegalArgumentException("hourly level " + h + " must be a finite non-negative number, was "
                        + hourly[h]);
            }
            lo = Math.min(lo, hourly[h]);
            hi = Math.max(hi, hourly[h]);
        }
        double[] l = new double[24];
        for (int h = 0; h < 24; h++) {
            l[h] = hi > lo ? (hourly[h] - lo) / (hi - lo) : 0;
        }
        return new DiurnalCurve(l);
    }

    /**
     * The shape of pod creations by hour of day: {@code times} binned by hour of the day,
     * smoothed by a centred moving average over {@code smoothHours} hours (odd), then rotated so
     * that the lowest hour falls at {@code troughHour}.
     */
    public static DiurnalCurve fromCreationTimes(long[] times, int smoothHours, int troughHour) {
        if (smoothHours < 1 || smoothHours % 2 == 0) {
            throw new IllegalArgumentException("smoothHours must be odd and positive, was " + smoothHours);
        }
        if (troughHour < 0 || troughHour > 23) {
            throw new IllegalArgumentException("troughHour must be within 0..23, was " + troughHour);
        }
        if (times.length == 0) {
            throw new IllegalArgumentException("no creation times");
        }
        double[] bins = new double[24];
        for (long t : times) {
            bins[(int) (Math.floorMod(t, DAY_SECONDS) / HOUR)]++;
        }
        double[] smooth = new double[24];
        int half = smoothHours / 2;
        for (int h = 0; h < 24; h++) {
            double s = 0;
            for (int d = -half; d <= half; d++) {
                s += bins[Math.floorMod(h + d, 24)];
            }
            smooth[h] = s / smoothHours;
        }
        int low = 0;
        for (int h = 1; h < 24; h++) {
            if (smooth[h] < smooth[low]) {
                low = h;
            }
        }
        double[] rotated = new double[24];
        for (int h = 0; h < 24; h++) {
            rotated[Math.floorMod(h - low + troughHour, 24)] = smooth[h];
        }
        return of(rotated);
    }

    /** Online services: openb's latency-sensitive pods, by hour of creation (see the class comment). */
    public static synchronized DiurnalCurve openbOnline() {
        if (openbOnline == null) {
            openbOnline = fromCreationTimes(OpenbTrace.readCreationTimes(TraceSource.bundled(OpenbTrace.DEFAULT_PODS),
                    "LS"), 3, 4);
        }
        return openbOnline;
    }

    /**
     * Development work: openb's best-effort pods by hour of creation, smoothed over three hours,
     * shifted by the same hours as {@link #openbOnline()} (one clock for both).
     */
    public static synchronized DiurnalCurve openbBestEffort() {
        if (openbBestEffort == null) {
            long[] ls = OpenbTrace.readCreationTimes(TraceSource.bundled(OpenbTrace.DEFAULT_PODS), "LS");
            long[] be = OpenbTrace.readCreationTimes(TraceSource.bundled(OpenbTrace.DEFAULT_PODS), "BE");
            int shift = 4 - troughOf(ls, 3);
            long[] moved = new long[be.length];
            for (int i = 0; i < be.length; i++) {
                moved[i] = be[i] + shift * HOUR;
            }
            double[] bins = new double[24];
            for (long t : moved) {
                bins[(int) (Math.floorMod(t, DAY_SECONDS) / HOUR)]++;
            }
            double[] smooth = new double[24];
            for (int h = 0; h < 24; h++) {
                smooth[h] = (bins[Math.floorMod(h - 1, 24)] + bins[h] + bins[(h + 1) % 24]) / 3;
            }
            openbBestEffort = of(smooth);
        }
        return openbBestEffort;
    }

    private static int troughOf(long[] times, int smoothHours) {
        double[] bins = new double[24];
        for (long t : times) {
            bins[(int) (Math.floorMod(t, DAY_SECONDS) / HOUR)]++;
        }
        int low = 0;
        double lowValue = Double.POSITIVE_INFINITY;
        int half = smoothHours / 2;
        for (int h = 0; h < 24; h++) {
            double s = 0;
            for (int d = -half; d <= half; d++) {
                s += bins[Math.floorMod(h + d, 24)];
            }
            if (s < lowValue) {
                lowValue = s;
                low = h;
            }
        }
        return low;
    }

    /** The level at {@code seconds}, in [0, 1]: straight between the hourly levels. */
    public double at(long seconds) {
        long s = Math.floorMod(seconds, DAY_SECONDS);
        int h = (int) (s / HOUR);
        double f = (s % HOUR) / (double) HOUR;
        return levels[h] + (levels[(h + 1) % 24] - levels[h]) * f;
    }

    /** The level at {@code h:00}. */
    public double hour(int h) {
        return levels[h];
    }

    /** The mean level over a day. */
    public double mean() {
        return Arrays.stream(levels).average().orElse(0);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int h = 0; h < 24; h++) {
            sb.append(h == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", levels[h]));
        }
        return sb.toString();
    }
}
