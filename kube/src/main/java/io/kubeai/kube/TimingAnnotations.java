package io.kubeai.kube;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.kubeai.core.workload.Timing;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a workload may and must run, as its pods and PodGroup say: {@link KubeAiNames#TIER},
 * {@link KubeAiNames#PERIODIC}, {@link KubeAiNames#NOT_BEFORE}, {@link KubeAiNames#DEADLINE}
 * and {@link KubeAiNames#EXPECTED_DURATION}, each read from an object's labels first, then its
 * annotations (as the webhook reads them). Times are RFC 3339 with an offset; a duration is a
 * Go duration ({@code 1h30m}, {@code 90m}, {@code 2.5h}; units ns, us, ms, s, m, h) or whole
 * seconds ({@code 5400}), rounded up to whole seconds, at most a year.
 *
 * <p>A gang's timing is its PodGroup's where the PodGroup sets a field, else what every member
 * can live with: the latest not-before, the earliest deadline, the longest expected duration,
 * periodic if any member is, production if any member is.
 */
public final class TimingAnnotations {
    public static final List<String> TIERS = List.of("prod", "dev");
    public static final long MAX_DURATION_SECONDS = 366L * 24 * 3600;
    private static final Pattern SECONDS = Pattern.compile("[0-9]+");
    private static final Pattern GO_DURATION = Pattern.compile("(?:(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+");
    private static final Pattern GO_PART = Pattern.compile("([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)");
    private static final Map<String, BigDecimal> NANOS_PER_UNIT = Map.of("ns", BigDecimal.ONE, "us", BigDecimal.valueOf(1_000L),
            "µs", BigDecimal.valueOf(1_000L), "μs", BigDecimal.valueOf(1_000L), "ms", BigDecimal.valueOf(1_000_000L),
            "s", BigDecimal.valueOf(1_000_000_000L), "m", BigDecimal.valueOf(60_000_000_000L),
            "h", BigDecimal.valueOf(3_600_000_000_000L));
    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);

    private TimingAnnotations() {
    }

    /** What one object says; null where it says nothing. */
    public record Values(String tier, Boolean periodic, Instant notBefore, Instant deadline, Long expectedDurationSeconds) {
        public static final Values NONE = new Values(null, null, null, null, null);
    }

    /** A value that cannot be read: on which object, under which key, and why, in words. */
    public record Problem(String object, String field, String key, String value, String reason) {
        @Override
        public String toString() {
            return object + " " + field + " " + key + ": \"" + value + "\" " + reason;
        }
    }

    /**
     * Reads one object's fields; each that cannot be read is added to {@code problems} and left
     * null. {@code object} names it in problems ({@code pod ml/train-0}).
     */
    public static Values read(ObjectMeta meta, String object, List<Problem> problems) {
        return read(meta == null || meta.getLabels() == null ? Map.of() : meta.getLabels(),
                meta == null || meta.getAnnotations() == null ? Map.of() : meta.getAnnotations(), object, problems);
    }

    /** As {@link #read(ObjectMeta, String, List)}, from an object's labels and annotations. */
    public static Values read(Map<String, String> labels, Map<String, String> ann, String object, List<Problem> problems) {
        String tier = null;
        Boolean periodic = null;
        Instant notBefore = null;
        Instant deadline = null;
        Long expected = null;
        for (String key : List.of(KubeAiNames.TIER, KubeAiNames.PERIODIC, KubeAiNames.NOT_BEFORE, KubeAiNames.DEADLINE,
                KubeAiNames.EXPECTED_DURATION)) {
            boolean isLabel = labels.containsKey(key);
            String v = isLabel ? labels.get(key) : ann.get(key);
            if (v == null) {
                continue;
            }
            String s = v.strip();
            try {
                switch (key) {
                    case KubeAiNames.TIER -> {
                        if (!TIERS.contains(s)) {
                            throw new IllegalArgumentException("is not one of " + TIERS);
                        }
                        tier = s;
                    }
                    case KubeAiNames.PERIODIC -> {
                        if (!s.equals("true") && !s.equals("false")) {
                            throw new IllegalArgumentException("is not one of [true, false]");
                        }
                        periodic = s.equals("true");
                    }
                    case KubeAiNames.NOT_BEFORE -> notBefore = time(s);
                    case KubeAiNames.DEADLINE -> deadline = time(s);
                    default -> expected = durationSeconds(s);
                }
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(object, isLabel ? "label" : "annotation", key, v, e.getMessage()));
            }
        }
        return new Values(tier, periodic, notBefore, deadline, expected);
    }

    /** A gang's timing: the PodGroup's fields where set, else what every member can live with. */
    public static Timing merge(Values group, List<Values> members) {
        Values g = group == null ? Values.NONE : group;
        String tier = g.tier() != null ? g.tier()
                : members.stream().anyMatch(m -> "prod".equals(m.tier())) ? "prod"
                : members.stream().map(Values::tier).filter(Objects::nonNull).findFirst().orElse(null);
        boolean periodic = g.periodic() != null ? g.periodic()
                : members.stream().anyMatch(m -> Boolean.TRUE.equals(m.periodic()));
        Instant notBefore = g.notBefore() != null ? g.notBefore()
                : members.stream().map(Values::notBefore).filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(null);
        Instant deadline = g.deadline() != null ? g.deadline()
                : members.stream().map(Values::deadline).filter(Objects::nonNull).min(Comparator.naturalOrder()).orElse(null);
        long expected = g.expectedDurationSeconds() != null ? g.expectedDurationSeconds()
                : members.stream().map(Values::expectedDurationSeconds).filter(Objects::nonNull).max(Long::compare).orElse(0L);
        return new Timing(tier, periodic, notBefore, deadline, expected);
    }

    /** An RFC 3339 time with its offset; throws with the reason when it is not one. */
    public static Instant time(String value) {
        try {
            return OffsetDateTime.parse(value.strip().toUpperCase(Locale.ROOT)).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("is not an RFC 3339 time with an offset, such as 2026-03-30T22:00:00+08:00"
                    + " or 2026-03-30T14:00:00Z");
        }
    }

    /** A Go duration or whole seconds, rounded up to seconds; throws with the reason when it is neither. */
    public static long durationSeconds(String value) {
        String s = value.strip();
        BigDecimal seconds;
        if (SECONDS.matcher(s).matches()) {
            seconds = new BigDecimal(s);
        } else if (GO_DURATION.matcher(s).matches()) {
            BigDecimal nanos = BigDecimal.ZERO;
            Matcher m = GO_PART.matcher(s);
            while (m.find()) {
                nanos = nanos.add(new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1))
                        .multiply(NANOS_PER_UNIT.get(m.group(2))));
            }
            seconds = nanos.divide(NANOS_PER_SECOND, 0, RoundingMode.CEILING);
        } else if (s.startsWith("-")) {
            throw new IllegalArgumentException("is negative; a duration is how long the workload runs");
        } else {
            throw new IllegalArgumentException("is not a duration; expected a Go duration such as 90m, 1h30m or 45s,"
                    + " or whole seconds such as 5400");
        }
        if (seconds.compareTo(BigDecimal.valueOf(MAX_DURATION_SECONDS)) > 0) {
            throw new IllegalArgumentException("is longer than a year (" + MAX_DURATION_SECONDS + " s)");
        }
        return seconds.longValueExact();
    }
}
