package io.kubeai.kube.telemetry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A parser of the Prometheus text exposition format (version 0.0.4), the format dcgm-exporter
 * and every Prometheus exporter serve, which the Prometheus Java client can write but not read.
 *
 * <pre>
 * # HELP DCGM_FI_DEV_GPU_UTIL GPU utilization (in %).
 * # TYPE DCGM_FI_DEV_GPU_UTIL gauge
 * DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-…",Hostname="node-1"} 42 1700000000000
 * </pre>
 *
 * What it accepts: samples {@code name[{label="value",…}] value [timestamp]} with blanks (spaces,
 * tabs) between tokens and inside the braces, a trailing comma in the braces, label values with
 * the escapes {@code \\}, {@code \"} and {@code \n}; values as Go's ParseFloat reads them in
 * decimal, with {@code NaN}, {@code +Inf} and {@code -Inf}; integer timestamps in milliseconds;
 * {@code # HELP} and {@code # TYPE} lines; other comments and blank lines, which it skips; a
 * {@code \r} before a line's end. What it rejects, with the line and column: everything else, a
 * label given twice, a series (name and labels) given twice, a family with two {@code # TYPE} or
 * {@code # HELP} lines, and a {@code # TYPE} after the family's samples. Nothing is half-read:
 * it returns the whole exposition or throws. O(length of the text).
 *
 * <p>It does not read the OpenMetrics format ({@code # EOF}, exemplars, {@code _created}) or
 * the protobuf format.
 */
public final class PrometheusText {
    static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private final String source;
    private final String text;
    private int line;
    private int lineStart;
    private int pos;
    private int end;

    private PrometheusText(String source, String text) {
        this.source = source;
        this.text = text;
    }

    /** Parses {@code text}; {@code source} names where it came from in errors (a URL, a file). */
    public static Exposition parse(String text, String source) {
        return new PrometheusText(source, text).parseAll();
    }

    private Exposition parseAll() {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new HashMap<>();
        Map<String, String> help = new HashMap<>();
        Set<String> seenNames = new HashSet<>();
        Set<String> seenSeries = new HashSet<>();
        int start = 0;
        line = 0;
        while (start <= text.length()) {
            int nl = text.indexOf('\n', start);
            line++;
            lineStart = start;
            end = nl < 0 ? text.length() : nl;
            if (end > start && text.charAt(end - 1) == '\r') {
                end--;
            }
            pos = start;
            skipBlanks();
            if (pos < end) {
                if (text.charAt(pos) == '#') {
                    comment(types, help, seenNames);
                } else {
                    Sample s = sample();
                    String series = s.name() + new TreeMap<>(s.labels());
                    if (!seenSeries.add(series)) {
                        throw error(lineStart + 1, "the series " + describe(s) + " is given twice");
                    }
                    seenNames.add(s.name());
                    samples.add(s);
                }
            }
            if (nl < 0) {
                break;
            }
            start = nl + 1;
        }
        return new Exposition(samples, types, help);
    }

    /** {@code # HELP name text}, {@code # TYPE name type}, or any other comment (skipped). */
    private void comment(Map<String, String> types, Map<String, String> help, Set<String> seenNames) {
        pos++;
        skipBlanks();
        int keywordAt = pos;
        String keyword = token();
        if (!(keyword.equals("HELP") || keyword.equals("TYPE")) || pos >= end || !blank(text.charAt(pos))) {
            return;
        }
        skipBlanks();
        int nameAt = pos;
        String name = metricName("after # " + keyword);
        if (keyword.equals("HELP")) {
            if (pos < end && !blank(text.charAt(pos))) {
                throw error(pos + 1, "expected a blank after the metric name, found '" + text.charAt(pos) + "'");
            }
            if (pos < end) {
                pos++;
            }
            if (help.containsKey(name)) {
                throw error(keywordAt + 1, "a second # HELP for " + name);
            }
            help.put(name, unescapeHelp(text.substring(pos, end)));
            return;
        }
        skipBlanks();
        int typeAt = pos;
        String type = token();
        if (!TYPES.contains(type)) {
            throw error(typeAt + 1, type.isEmpty() ? "expected a type after # TYPE " + name + ", one of " + sorted(TYPES)
                    : "\"" + type + "\" is not a metric type; expected one of " + sorted(TYPES));
        }
        skipBlanks();
        if (pos < end) {
            throw error(pos + 1, "unexpected text after the type: \"" + text.substring(pos, end) + "\"");
        }
        if (types.containsKey(name)) {
            throw error(keywordAt + 1, "a second # TYPE for " + name);
        }
        boolean family = type.equals("histogram") || type.equals("summary");
        if (seenNames.contains(name) || family && (seenNames.contains(name + "_sum") || seenNames.contains(name + "_count")
                || seenNames.contains(name + "_bucket"))) {
            throw error(nameAt + 1, "# TYPE for " + name + " comes after its samples; it must come before them");
        }
        types.put(name, type);
    }

    private Sample sample() {
        String name = metricName("at the start of a sample");
        Map<String, String> labels = new LinkedHashMap<>();
        int afterName = pos;
        skipBlanks();
        if (pos < end && text.charAt(pos) == '{') {
            pos++;
            labels(labels);
            skipBlanks();
        } else if (pos == afterName && pos < end) {
            throw error(pos + 1, "unexpected character '" + text.charAt(pos) + "' after the metric name " + name
                    + "; expected '{' or a blank");
        }
        int valueAt = pos;
        String v = token();
        if (v.isEmpty()) {
            throw error(valueAt + 1, "expected a value after " + (labels.isEmpty() ? name : "the labels of " + name)
                    + ", found the end of the line");
        }
        double value = number(v, valueAt);
        skipBlanks();
        Long timestamp = null;
        if (pos < end) {
            int tsAt = pos;
            String ts = token();
            if (!ts.matches("-?[0-9]+")) {
                throw error(tsAt + 1, "\"" + ts + "\" is not a timestamp (an integer of milliseconds)");
            }
            try {
                timestamp = Long.parseLong(ts);
            } catch (NumberFormatException e) {
                throw error(tsAt + 1, "the timestamp " + ts + " is out of range");
            }
            skipBlanks();
            if (pos < end) {
                throw error(pos + 1, "unexpected text after the timestamp: \"" + text.substring(pos, end) + "\"");
            }
        }
        return new Sample(name, labels, value, timestamp);
    }

    /** From after {@code {} to after {@code }}. */
    private void labels(Map<String, String> labels) {
        while (true) {
            skipBlanks();
            if (pos >= end) {
                throw error(pos + 1, "expected a label name or '}', found the end of the line");
            }
            if (text.charAt(pos) == '}') {
                pos++;
                return;
            }
            int nameAt = pos;
            String label = labelName();
            skipBlanks();
            expect('=', "after the label name " + label);
            skipBlanks();
            expect('"', "to open the value of label " + label);
            String value = labelValue(label);
            if (labels.put(label, value) != null) {
                throw error(nameAt + 1, "the label " + label + " is given twice");
            }
            skipBlanks();
            if (pos >= end) {
                throw error(pos + 1, "expected ',' or '}' after the value of label " + label + ", found the end of the line");
            }
            char c = text.charAt(pos);
            if (c == ',') {
                pos++;
            } else if (c != '}') {
                throw error(pos + 1, "expected ',' or '}' after the value of label " + label + ", found '" + c + "'");
            }
        }
    }

    private String labelValue(String label) {
        StringBuilder sb = new StringBuilder();
        while (pos < end) {
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            }
            if (c == '\\') {
                if (pos + 1 >= end) {
                    break;
                }
                char e = text.charAt(pos + 1);
                switch (e) {
                    case '\\' -> sb.append('\\');
                    case '"' -> sb.append('"');
                    case 'n' -> sb.append('\n');
                    default -> throw error(pos + 1, "\\" + e + " is not an escape in a label value; expected \\\\, \\\" or \\n");
                }
                pos += 2;
                continue;
            }
            sb.append(c);
            pos++;
        }
        throw error(pos + 1, "the value of label " + label + " is not closed by '\"' before the end of the line");
    }

    private String metricName(String where) {
        int start = pos;
        if (pos < end && nameStart(text.charAt(pos), true)) {
            pos++;
            while (pos < end && namePart(text.charAt(pos), true)) {
                pos++;
            }
            return text.substring(start, pos);
        }
        throw error(pos + 1, "expected a metric name " + where + ", found " + found());
    }

    private String labelName() {
        int start = pos;
        if (nameStart(text.charAt(pos), false)) {
            pos++;
            while (pos < end && namePart(text.charAt(pos), false)) {
                pos++;
            }
            return text.substring(start, pos);
        }
        throw error(pos + 1, "expected a label name, found " + found());
    }

    private double number(String v, int at) {
        switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "nan":
                return Double.NaN;
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        if (!v.matches("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
            throw error(at + 1, "\"" + v + "\" is not a number");
        }
        return Double.parseDouble(v);
    }

    private void expect(char c, String why) {
        if (pos >= end || text.charAt(pos) != c) {
            throw error(pos + 1, "expected '" + c + "' " + why + ", found " + found());
        }
        pos++;
    }

    /** The characters up to the next blank. */
    private String token() {
        int start = pos;
        while (pos < end && !blank(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private void skipBlanks() {
        while (pos < end && blank(text.charAt(pos))) {
            pos++;
        }
    }

    private String found() {
        return pos >= end ? "the end of the line" : "'" + text.charAt(pos) + "'";
    }

    private static boolean blank(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean nameStart(char c, boolean colon) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || colon && c == ':';
    }

    private static boolean namePart(char c, boolean colon) {
        return nameStart(c, colon) || c >= '0' && c <= '9';
    }

    private static String unescapeHelp(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == '\\' || s.charAt(i + 1) == 'n')) {
                sb.append(s.charAt(i + 1) == 'n' ? '\n' : '\\');
                i++;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String describe(Sample s) {
        StringBuilder sb = new StringBuilder(s.name()).append('{');
        s.labels().forEach((k, v) -> sb.append(sb.charAt(sb.length() - 1) == '{' ? "" : ",").append(k).append("=\"")
                .append(v).append('"'));
        return sb.append('}').toString();
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    /** An error at {@code offset} (0-based, in the whole text) of the current line. */
    private ExpositionFormatException error(int oneBasedOffset, String problem) {
        return new ExpositionFormatException(source, line, oneBasedOffset - lineStart, problem);
    }
}
