package io.kubeai.core.config;

import io.kubeai.core.window.QueueWindow;
import io.kubeai.core.window.TimeWindow;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads time windows the way users write them, in the policy file ({@code stagger.tiers.prod.window})
 * and in Queue objects ({@code spec.windows}), reporting every error with its path. One reader
 * for both, so a window means the same wherever it is written.
 *
 * <pre>
 * days: [Mon-Fri]          # Mon..Sun or full names, any case; ranges wrap (Fri-Mon); absent or []: every day
 * start: "22:00"           # local time, HH:MM; quote it (YAML 1.1 readers take 22:00 for a number)
 * end: "06:00"             # not after start: the window ends the next day; "24:00" is midnight
 * timeZone: Asia/Shanghai  # required: an IANA zone (daylight saving followed), UTC, or an offset such as +08:00
 * # queue windows only:
 * action: Scale            # Scale (minScale, maxScale: factors, default 1) | Close (evictRunning: false)
 * minScale: 2
 * maxScale: 2
 * </pre>
 */
public final class Windows {
    public static final String CLOSE = "Close";
    public static final String SCALE = "Scale";
    public static final List<String> ACTIONS = List.of(CLOSE, SCALE);
    /** The largest factor a window may scale a queue by. */
    public static final double MAX_SCALE = 1000;

    private static final Pattern TIME = Pattern.compile("([01]?[0-9]|2[0-3]):([0-5][0-9])");

    private Windows() {
    }

    /** A time window at {@code t}; empty when it has errors (each reported with its path). */
    public static Optional<TimeWindow> timeWindow(Tree t) {
        t.allowOnly("days", "start", "end", "timeZone");
        return read(t);
    }

    /** The queue windows listed at {@code key} of {@code parent}, in order; those with errors left out (and reported). */
    public static List<QueueWindowRule> queueWindows(Tree parent, String key) {
        List<QueueWindowRule> out = new ArrayList<>();
        for (Tree w : parent.list(key)) {
            int errorsBefore = w.errorCount();
            w.allowOnly("days", "start", "end", "timeZone", "action", "minScale", "maxScale", "evictRunning");
            Optional<TimeWindow> tw = read(w);
            String action = w.has("action") ? w.choice("action", null, ACTIONS) : null;
            if (!w.has("action")) {
                w.error("action", "missing; expected one of " + ACTIONS);
            }
            QueueWindowRule rule = null;
            if (SCALE.equals(action)) {
                if (w.has("evictRunning")) {
                    w.error("evictRunning", "only a Close window evicts; a Scale window changes min and max");
                }
                if (!w.has("minScale") && !w.has("maxScale")) {
                    w.error("action", "a Scale window needs minScale, maxScale or both");
                }
                double min = w.number("minScale", 1, 0, MAX_SCALE);
                double max = w.number("maxScale", 1, 0, MAX_SCALE);
                if (tw.isPresent()) {
                    rule = new QueueWindowRule(QueueWindow.scale(tw.get(), min, max), false);
                }
            } else if (CLOSE.equals(action)) {
                for (String k : List.of("minScale", "maxScale")) {
                    if (w.has(k)) {
                        w.error(k, "a Close window closes the queue; it scales nothing");
                    }
                }
                boolean evict = w.bool("evictRunning", false);
                if (tw.isPresent()) {
                    rule = new QueueWindowRule(QueueWindow.closed(tw.get()), evict);
                }
            }
            if (rule != null && w.errorCount() == errorsBefore) {
                out.add(rule);
            }
        }
        return out;
    }

    private static Optional<TimeWindow> read(Tree t) {
        Set<DayOfWeek> days = days(t, "days");
        LocalTime start = time(t, "start", false);
        LocalTime end = time(t, "end", true);
        ZoneId zone = zone(t, "timeZone");
        if (days == null || start == null || end == null || zone == null) {
            return Optional.empty();
        }
        return Optional.of(new TimeWindow(days, start, end, zone));
    }

    /** {@code HH:MM}; {@code 24:00} (midnight at the end of the day) only where {@code end}. */
    static LocalTime time(Tree t, String key, boolean end) {
        if (!t.has(key)) {
            t.error(key, "missing; a local time such as \"" + (end ? "06:00" : "22:00") + "\" is expected");
            return null;
        }
        String s = t.string(key, "").strip();
        if (end && s.equals("24:00")) {
            return LocalTime.MIDNIGHT;
        }
        Matcher m = TIME.matcher(s);
        if (!m.matches()) {
            t.error(key, "\"" + s + "\" is not a time of day; expected HH:MM from 00:00 to 23:59"
                    + (end ? " (or 24:00)" : "") + ", quoted in YAML");
            return null;
        }
        return LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    static ZoneId zone(Tree t, String key) {
        if (!t.has(key)) {
            t.error(key, "missing; name the zone the times are local to, such as Asia/Shanghai or UTC");
            return null;
        }
        String s = t.string(key, "").strip();
        try {
            return ZoneId.of(s);
        } catch (DateTimeException e) {
            t.error(key, "\"" + s + "\" is not a time zone; use an IANA name such as Asia/Shanghai, UTC, or an offset such as +08:00");
            return null;
        }
    }

    /** Every day when absent or empty; null after an error. */
    static Set<DayOfWeek> days(Tree t, String key) {
        Object v = t.raw().get(key);
        if (v == null) {
            return EnumSet.allOf(DayOfWeek.class);
        }
        List<?> items = v instanceof List<?> l ? l : List.of(v);
        Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            String at = v instanceof List<?> ? key + "[" + i + "]" : key;
            Object item = items.get(i);
            Set<DayOfWeek> d = item instanceof String s ? dayOrRange(s) : null;
            if (d == null) {
                t.error(at, (item instanceof String s ? "\"" + s + "\"" : String.valueOf(item))
                        + " is not a day; expected Mon, Tue, Wed, Thu, Fri, Sat, Sun (or full names) or a range such as Mon-Fri");
                ok = false;
            } else {
                out.addAll(d);
            }
        }
        if (!ok) {
            return null;
        }
        return out.isEmpty() ? EnumSet.allOf(DayOfWeek.class) : out;
    }

    /** {@code Mon}, {@code monday} or {@code Fri-Mon} (a range wraps past Sunday); null when it is neither. */
    static Set<DayOfWeek> dayOrRange(String s) {
        String[] parts = s.strip().split("\\s*-\\s*", -1);
        if (parts.length == 1) {
            DayOfWeek d = day(parts[0]);
            return d == null ? null : EnumSet.of(d);
        }
        if (parts.length != 2) {
            return null;
        }
        DayOfWeek from = day(parts[0]);
        DayOfWeek to = day(parts[1]);
        if (from == null || to == null) {
            return null;
        }
        Set<DayOfWeek> out = EnumSet.of(from);
        for (DayOfWeek d = from; d != to; d = d.plus(1)) {
            out.add(d.plus(1));
        }
        return out;
    }

    static DayOfWeek day(String s) {
        String n = s.strip().toLowerCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            String full = d.name().toLowerCase(Locale.ROOT);
            if (n.equals(full) || n.equals(full.substring(0, 3))) {
                return d;
            }
        }
        return null;
    }
}
