package io.kubeai.quota;

import io.kubeai.core.workload.Admission;
import io.kubeai.core.workload.Workload;
import io.kubeai.kube.KubeAiNames;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long the workloads of a snapshot run, which Kubernetes does not know. The rule, first that
 * applies:
 *
 * <ol>
 *   <li>the annotation {@code kubeai.io/expected-duration} (a Go duration, {@code 90m}, {@code 2h30m}, or whole seconds)
 *       on the PodGroup, else the largest on a member pod (the gang runs until its last member
 *       ends);
 *   <li>else the smallest {@code spec.activeDeadlineSeconds} of a member (kubelet ends the pod
 *       then, and a gang with it): an upper bound;
 *   <li>else the assumed duration the caller gives ({@code --assume-duration}).
 * </ol>
 *
 * A running workload has run since its earliest member's {@code status.startTime} (else its
 * PodGroup's admission time, else it is taken to start now); what remains is the duration less
 * that, and nothing when it has overrun. An annotation that does not parse is reported and the
 * next rule applies. Reads the pods of the snapshot; O(members).
 */
public final class WorkloadDurations {
    private static final Pattern PART = Pattern.compile("(\\d+)([dhms])");

    /** Where a duration came from. */
    public enum Source {
        ANNOTATION,
        ACTIVE_DEADLINE,
        ASSUMED
    }

    /**
     * One workload's duration, and for a running one how long it has run.
     *
     * @param running whether it runs (or is admitted) in the snapshot
     */
    public record Estimate(String workloadId, boolean running, long durationSeconds, long elapsedSeconds, Source source) {
        /** What is left of its run: nothing once it has overrun. */
        public long remainingSeconds() {
            return Math.max(0, durationSeconds - elapsedSeconds);
        }

        public boolean overran() {
            return running && elapsedSeconds > durationSeconds;
        }
    }

    /** Every estimate, by workload id (running first, then pending, each in snapshot order), and what did not parse. */
    public record Estimates(Map<String, Estimate> byWorkload, List<String> warnings) {
        public Estimates {
            byWorkload = Collections.unmodifiableMap(new LinkedHashMap<>(byWorkload));
            warnings = List.copyOf(warnings);
        }

        public Estimate of(String workloadId) {
            Estimate e = byWorkload.get(workloadId);
            if (e == null) {
                throw new IllegalArgumentException("no duration for workload " + workloadId);
            }
            return e;
        }

        /** How many estimates came from each source. */
        public Map<Source, Integer> countBySource() {
            Map<Source, Integer> m = new java.util.EnumMap<>(Source.class);
            byWorkload.values().forEach(e -> m.merge(e.source(), 1, Integer::sum));
            return m;
        }
    }

    private WorkloadDurations() {
    }

    /** The durations of the snapshot's running and pending workloads at {@code nowSeconds}. */
    public static Estimates of(AdmissionController.Snapshot s, long nowSeconds, long assumedSeconds) {
        if (assumedSeconds <= 0) {
            throw new IllegalArgumentException("the assumed duration must be positive, was " + assumedSeconds + " s");
        }
        Map<String, Gang> gangs = new HashMap<>();
        s.gangs.forEach(g -> gangs.put(g.id(), g));
        Map<String, Estimate> out = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        for (Admission a : s.state.running()) {
            Gang g = gangs.get(a.workload().id());
            out.put(a.workload().id(), estimate(a.workload().id(), g, true, nowSeconds, assumedSeconds, warnings));
        }
        for (Workload w : s.pending) {
            out.put(w.id(), estimate(w.id(), gangs.get(w.id()), false, nowSeconds, assumedSeconds, warnings));
        }
        return new Estimates(out, warnings);
    }

    private static Estimate estimate(String id, Gang g, boolean running, long now, long assumed, List<String> warnings) {
        long elapsed = running && g != null ? elapsed(g, now) : 0;
        if (g == null) {
            return new Estimate(id, running, assumed, elapsed, Source.ASSUMED);
        }
        // 1. The annotation: the PodGroup's, else the largest a member carries.
        if (g.podGroup() != null) {
            OptionalLong d = annotation(g.podGroup().getMetadata().getAnnotations(), "PodGroup " + g.id(), warnings);
            if (d.isPresent()) {
                return new Estimate(id, running, d.getAsLong(), elapsed, Source.ANNOTATION);
            }
        }
        long largest = -1;
        for (Gang.Member m : g.members()) {
            OptionalLong d = annotation(m.pod().annotations(), "pod " + m.key(), warnings);
            if (d.isPresent()) {
                largest = Math.max(largest, d.getAsLong());
            }
        }
        if (largest > 0) {
            return new Estimate(id, running, largest, elapsed, Source.ANNOTATION);
        }
        // 2. The earliest a member's deadline ends the gang.
        long deadline = g.members().stream().map(m -> m.pod().activeDeadlineSeconds()).filter(Objects::nonNull).mapToLong(Long::longValue)
                .filter(x -> x > 0).min().orElse(-1);
        if (deadline > 0) {
            return new Estimate(id, running, deadline, elapsed, Source.ACTIVE_DEADLINE);
        }
        // 3. The assumption.
        return new Estimate(id, running, assumed, elapsed, Source.ASSUMED);
    }

    private static OptionalLong annotation(Map<String, String> annotations, String where, List<String> warnings) {
        String v = annotations == null ? null : annotations.get(KubeAiNames.EXPECTED_DURATION);
        if (v == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(io.kubeai.kube.TimingAnnotations.durationSeconds(v));
        } catch (IllegalArgumentException e) {
            warnings.add(where + ": " + KubeAiNames.EXPECTED_DURATION + " \"" + v + "\" " + e.getMessage() + "; ignored");
            return OptionalLong.empty();
        }
    }

    /** Seconds since the earliest member started, or since the PodGroup was admitted; 0 if neither is known. */
    private static long elapsed(Gang g, long now) {
        long started = Long.MAX_VALUE;
        for (Gang.Member m : g.members()) {
            if (m.pod().startTime() != null) {
                started = Math.min(started, epoch(m.pod().startTime()));
            }
        }
        if (started == Long.MAX_VALUE && g.podGroup() != null && g.podGroup().getStatus() != null
                && g.podGroup().getStatus().getAdmittedAt() != null) {
            started = epoch(g.podGroup().getStatus().getAdmittedAt());
        }
        return started == Long.MAX_VALUE ? 0 : Math.max(0, now - started);
    }

    private static long epoch(String rfc3339) {
        try {
            return Instant.parse(rfc3339).getEpochSecond();
        } catch (DateTimeParseException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Parses a duration as people write them: {@code 45s}, {@code 90m}, {@code 2h30m}, {@code 1d}
     * (parts in any of d, h, m, s, largest first), or ISO 8601 ({@code PT1H30M}). Positive only.
     */
    public static long parseSeconds(String text) {
        String t = text == null ? "" : text.strip();
        long seconds;
        if (t.startsWith("P") || t.startsWith("p")) {
            try {
                seconds = java.time.Duration.parse(t).getSeconds();
            } catch (DateTimeParseException e) {
                throw notADuration(text);
            }
        } else {
            Matcher m = PART.matcher(t);
            int at = 0;
            seconds = 0;
            String order = "dhms";
            int last = -1;
            while (at < t.length() && m.find(at) && m.start() == at) {
                int unit = order.indexOf(m.group(2));
                if (unit <= last) {
                    throw notADuration(text);
                }
                last = unit;
                long n;
                try {
                    n = Long.parseLong(m.group(1));
                    seconds = Math.addExact(seconds, Math.multiplyExact(n, switch (m.group(2)) {
                        case "d" -> 86_400L;
                        case "h" -> 3600L;
                        case "m" -> 60L;
                        default -> 1L;
                    }));
                } catch (ArithmeticException | NumberFormatException e) {
                    throw notADuration(text);
                }
                at = m.end();
            }
            if (t.isEmpty() || at != t.length()) {
                throw notADuration(text);
            }
        }
        if (seconds <= 0) {
            throw new IllegalArgumentException("\"" + text + "\" is not a positive duration");
        }
        return seconds;
    }

    private static IllegalArgumentException notADuration(String text) {
        return new IllegalArgumentException("\"" + text + "\" is not a duration; write e.g. 45s, 90m, 2h30m or 1d");
    }

    /** Seconds as people read them: {@code 45s}, {@code 1h30m}, {@code 2d3h}; at most two parts, rounded down. */
    public static String format(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        long d = seconds / 86_400;
        long h = seconds % 86_400 / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        if (d > 0) {
            return d + "d" + (h > 0 ? h + "h" : "");
        }
        if (h > 0) {
            return h + "h" + (m > 0 ? m + "m" : "");
        }
        return m + "m" + (s > 0 ? s + "s" : "");
    }
}
