package io.kubeai.simulator.tune;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bound a configuration must meet to be recommended: {@code evictions <= 50},
 * {@code gpuAllocation >= 85%}, {@code queueingDelayP95.prod < 30m}. It is checked against the
 * median over seeds. A share may be written in % and a duration with s, m, h or d; a metric
 * with nothing to measure (NaN) meets every bound.
 *
 * @param metric what is bounded
 * @param operator one of {@code < <= > >=}
 * @param bound in the metric's own unit (a share as a fraction, a duration in seconds)
 * @param text as written, for reports
 */
public record Constraint(TuneMetric metric, String operator, double bound, String text) {
    private static final Pattern FORM = Pattern.compile(
            "\\s*([A-Za-z][A-Za-z0-9.]*)\\s*(<=|>=|<|>)\\s*([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)\\s*(%|s|m|h|d)?\\s*");

    /** Reads a constraint, or throws {@link IllegalArgumentException} with a sentence saying what is wrong. */
    public static Constraint parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a constraint; write METRIC OP VALUE, "
                    + "such as \"evictions <= 50\", \"gpuAllocation >= 85%\" or \"queueingDelayP95.prod < 30m\"");
        }
        TuneMetric metric = TuneMetric.named(m.group(1)).orElseThrow(() -> new IllegalArgumentException(
                "unknown metric \"" + m.group(1) + "\"; metrics are " + TuneMetric.names()));
        double value = Double.parseDouble(m.group(3));
        String suffix = m.group(4);
        if (suffix != null) {
            if (suffix.equals("%")) {
                if (metric.unit() != TuneMetric.Unit.FRACTION) {
                    throw new IllegalArgumentException("\"" + text + "\": " + metric.name() + " is not a share, so % "
                            + "does not apply");
                }
                value /= 100;
            } else {
                if (metric.unit() != TuneMetric.Unit.SECONDS) {
                    throw new IllegalArgumentException("\"" + text + "\": " + metric.name() + " is not a duration, so "
                            + "the unit " + suffix + " does not apply");
                }
                value *= switch (suffix) {
                    case "m" -> 60;
                    case "h" -> 3600;
                    case "d" -> 86_400;
                    default -> 1;
                };
            }
        } else if (metric.unit() == TuneMetric.Unit.FRACTION && value > 1) {
            throw new IllegalArgumentException("\"" + text + "\": " + metric.name() + " is a share within 0..1; "
                    + "write " + m.group(3) + "% for a percentage");
        }
        return new Constraint(metric, m.group(2), value, text.strip());
    }

    /** Whether a value meets the bound. */
    public boolean holds(double value) {
        if (Double.isNaN(value)) {
            return true;
        }
        return switch (operator) {
            case "<" -> value < bound;
            case "<=" -> value <= bound;
            case ">" -> value > bound;
            case ">=" -> value >= bound;
            default -> throw new IllegalStateException("operator " + operator);
        };
    }

    /** The constraint in canonical form, for reports: {@code evictions <= 50}. */
    public String canonical() {
        return metric.name() + " " + operator + " " + metric.format(bound).replace(" %", "%");
    }

    @Override
    public String toString() {
        return text;
    }
}
