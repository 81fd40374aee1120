package io.kubeai.simulator.jobs.online;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A line chart of shares over the hours of a day (0..24 on x, 0..100 % on y), as SVG, and the
 * same numbers as CSV. Series are drawn in the order added. O(series × points).
 */
public final class DayChart {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
        "#17becf", "#7f7f7f"};
    private final String title;
    private final Map<String, double[]> series = new LinkedHashMap<>();

    public DayChart(String title) {
        this.title = title;
    }

    /** A series of per-hour values in [0, 1] (any number of points spread evenly over the day). */
    public DayChart add(String name, double[] values) {
        series.put(name, values.clone());
        return this;
    }

    public String svg() {
        int w = 720;
        int h = 360;
        int left = 50;
        int right = 200;
        int top = 30;
        int bottom = 40;
        double pw = w - left - right;
        double ph = h - top - bottom;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"11\">%n", w, h));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"13\">%s</text>%n", left, esc(title)));
        for (int p = 0; p <= 100; p += 25) {
            double y = top + ph - ph * p / 100.0;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d %%</text>%n", left, y, left + pw, y, left - 4, y + 4, p));
        }
        for (int hr = 0; hr <= 24; hr += 3) {
            double x = left + pw * hr / 24.0;
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%02d:00</text>%n", x,
                    top + ph + 16, hr));
        }
        int i = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            double[] v = e.getValue();
            String colour = COLOURS[i % COLOURS.length];
            StringBuilder pts = new StringBuilder();
            for (int k = 0; k < v.length; k++) {
                double x = left + pw * (k + 0.5) / v.length;
                double y = top + ph - ph * Math.max(0, Math.min(1, v[k]));
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            sb.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
                    colour, pts.toString().strip()));
            double ly = top + 14 + 16 * i;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                    + "stroke-width=\"2\"/><text x=\"%.1f\" y=\"%.1f\">%s</text>%n", left + pw + 10, ly, left + pw + 30, ly,
                    colour, left + pw + 34, ly + 4, esc(e.getKey())));
            i++;
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    /** {@code hour,<series>…}, one row per point, shares as fractions. */
    public String csv() {
        StringBuilder sb = new StringBuilder("hour");
        int n = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            sb.append(',').append(e.getKey().replace(',', ';'));
            n = Math.max(n, e.getValue().length);
        }
        sb.append('\n');
        for (int k = 0; k < n; k++) {
            sb.append(String.format(Locale.ROOT, "%.2f", 24.0 * k / n));
            for (double[] v : series.values()) {
                sb.append(',').append(k < v.length ? String.format(Locale.ROOT, "%.4f", v[k]) : "");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    public void write(Path svgFile, Path csvFile) throws IOException {
        Files.writeString(svgFile, svg(), StandardCharsets.UTF_8);
        Files.writeString(csvFile, csv(), StandardCharsets.UTF_8);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
