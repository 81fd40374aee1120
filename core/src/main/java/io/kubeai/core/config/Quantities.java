package io.kubeai.core.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities as people write them ({@code 500m}, {@code 2}, {@code 16Gi},
 * {@code 1e3}), read without any Kubernetes library, and converted to the units core counts in:
 * {@code cpu} in milli-cores, {@code nvidia.com/gpu} in milli-GPU, everything else (memory in
 * bytes, devices) in whole units, always rounded up. O(length of the text).
 */
public final class Quantities {
    private static final Pattern QUANTITY = Pattern.compile(
            "([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?");
    /** Exponents beyond this are not quantities anyone means; they would only make huge numbers. */
    private static final int MAX_EXPONENT = 30;

    private Quantities() {
    }

    /** The amount a quantity stands for, or empty when it is not a quantity. */
    public static Optional<BigDecimal> parse(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return Optional.of(BigDecimal.valueOf(((Number) value).longValue()));
        }
        if (value instanceof java.math.BigInteger b) {
            return Optional.of(new BigDecimal(b));
        }
        if (value instanceof BigDecimal d) {
            return Optional.of(d);
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? Optional.of(BigDecimal.valueOf(d)) : Optional.empty();
        }
        if (!(value instanceof String s)) {
            return Optional.empty();
        }
        Matcher m = QUANTITY.matcher(s.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        BigDecimal number = new BigDecimal(m.group(1));
        String suffix = m.group(2);
        if (suffix == null) {
            return Optional.of(number);
        }
        return switch (suffix) {
            case "Ki" -> Optional.of(number.multiply(BigDecimal.valueOf(1L << 10)));
            case "Mi" -> Optional.of(number.multiply(BigDecimal.valueOf(1L << 20)));
            case "Gi" -> Optional.of(number.multiply(BigDecimal.valueOf(1L << 30)));
            case "Ti" -> Optional.of(number.multiply(BigDecimal.valueOf(1L << 40)));
            case "Pi" -> Optional.of(number.multiply(BigDecimal.valueOf(1L << 50)));
            case "Ei" -> Optional.of(number.multiply(BigDecimal.valueOf(1L << 60)));
            case "n" -> Optional.of(number.scaleByPowerOfTen(-9));
            case "u" -> Optional.of(number.scaleByPowerOfTen(-6));
            case "m" -> Optional.of(number.scaleByPowerOfTen(-3));
            case "k" -> Optional.of(number.scaleByPowerOfTen(3));
            case "M" -> Optional.of(number.scaleByPowerOfTen(6));
            case "G" -> Optional.of(number.scaleByPowerOfTen(9));
            case "T" -> Optional.of(number.scaleByPowerOfTen(12));
            case "P" -> Optional.of(number.scaleByPowerOfTen(15));
            case "E" -> Optional.of(number.scaleByPowerOfTen(18));
            default -> {
                int exp;
                try {
                    exp = Integer.parseInt(suffix.substring(1).replace("+", ""));
                } catch (NumberFormatException e) {
                    yield Optional.empty();
                }
                yield Math.abs(exp) > MAX_EXPONENT ? Optional.empty() : Optional.of(number.scaleByPowerOfTen(exp));
            }
        };
    }

    /**
     * A quantity of {@code resource} in core's units, rounded up; empty when it is not a
     * quantity, is negative, or does not fit in a long.
     */
    public static Optional<Long> toUnits(String resource, Object value) {
        Optional<BigDecimal> amount = parse(value);
        if (amount.isEmpty() || amount.get().signum() < 0) {
            return Optional.empty();
        }
        BigDecimal scaled = switch (resource) {
            case "cpu", "nvidia.com/gpu" -> amount.get().scaleByPowerOfTen(3);
            default -> amount.get();
        };
        try {
            return Optional.of(scaled.setScale(0, RoundingMode.CEILING).longValueExact());
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
    }

    /** What {@link #toUnits} expects, for error messages. */
    public static String describe(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }
}
