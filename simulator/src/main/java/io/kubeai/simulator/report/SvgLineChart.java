package io.kubeai.simulator.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small self-contained SVG line chart (no scripts, nothing fetched): series over a shared x
 * axis, linear axes with ticks, a legend. NaN points break a line.
 */
public final class SvgLineChart {
    private static final String[] COLORS = {
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"
    };
    private static final int WIDTH = 720;
    private static final int HEIGHT = 360;
    private static final int LEFT = 60;
    private static final int RIGHT = 150;
    private static final int TOP = 30;
    private static final int BOTTOM = 45;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<String> names = new ArrayList<>();
    private final List<double[]> xs = new ArrayList<>();
    private final List<double[]> ys = new ArrayList<>();
    private double yMin = Double.NaN;
    private double yMax = Double.NaN;

    public SvgLineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public SvgLineChart series(String name, double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y differ in length for " + name);
        }
        names.add(name);
        xs.add(x);
        ys.add(y);
        return this;
    }

    /** Fixes the y range instead of fitting it to the data. */
    public SvgLineChart yRange(double min, double max) {
        this.yMin = min;
        this.yMax = max;
        return this;
    }

    public String render() {
        double x0 = Double.MAX_VALUE;
        double x1 = -Double.MAX_VALUE;
        double y0 = Double.MAX_VALUE;
        double y1 = -Double.MAX_VALUE;
        for (int s = 0; s < xs.size(); s++) {
            for (int i = 0; i < xs.get(s).length; i++) {
                double y = ys.get(s)[i];
                if (Double.isNaN(y)) {
                    continue;
                }
                x0 = Math.min(x0, xs.get(s)[i]);
                x1 = Math.max(x1, xs.get(s)[i]);
                y0 = Math.min(y0, y);
                y1 = Math.max(y1, y);
            }
        }
        if (x0 > x1) {
            x0 = 0;
            x1 = 1;
            y0 = 0;
            y1 = 1;
        }
        if (!Double.isNaN(yMin)) {
            y0 = yMin;
            y1 = yMax;
        }
        if (y1 - y0 < 1e-9) {
            y1 = y0 + 1;
        }
        if (x1 - x0 < 1e-9) {
            x1 = x0 + 1;
        }
        double pw = WIDTH - LEFT - RIGHT;
        double ph = HEIGHT - TOP - BOTTOM;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\" font-size=\"11\">%n",
                WIDTH, HEIGHT, WIDTH, HEIGHT));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"13\" font-weight=\"bold\">%s</text>%n",
                LEFT, Html.escape(title)));
        sb.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" stroke=\"#999\"/>%n",
                LEFT, TOP, pw, ph));
        for (double t : ticks(x0, x1)) {
            double px = LEFT + (t - x0) / (x1 - x0) * pw;
            sb.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#eee\"/>"
                            + "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%s</text>%n",
                    px, TOP, px, TOP + ph, px, TOP + ph + 14, fmt(t)));
        }
        for (double t : ticks(y0, y1)) {
            double py = TOP + ph - (t - y0) / (y1 - y0) * ph;
            sb.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#eee\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT, py, LEFT + pw, py, LEFT - 5, py + 4, fmt(t)));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                LEFT + pw / 2, HEIGHT - 8, Html.escape(xLabel)));
        sb.append(String.format(Locale.ROOT,
                "<text x=\"14\" y=\"%.0f\" text-anchor=\"middle\" transform=\"rotate(-90 14 %.0f)\">%s</text>%n",
                TOP + ph / 2, TOP + ph / 2, Html.escape(yLabel)));
        for (int s = 0; s < xs.size(); s++) {
            String color = COLORS[s % COLORS.length];
            StringBuilder path = new StringBuilder();
            boolean pen = false;
            for (int i = 0; i < xs.get(s).length; i++) {
                double y = ys.get(s)[i];
                if (Double.isNaN(y)) {
                    pen = false;
                    continue;
                }
                double px = LEFT + (xs.get(s)[i] - x0) / (x1 - x0) * pw;
                double py = TOP + ph - (Math.max(y0, Math.min(y1, y)) - y0) / (y1 - y0) * ph;
                path.append(pen ? " L" : " M").append(String.format(Locale.ROOT, "%.1f %.1f", px, py));
                pen = true;
            }
            sb.append(String.format(Locale.ROOT,
                    "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\"/>%n",
                    path.toString().strip(), color));
            int ly = TOP + 12 + s * 16;
            sb.append(String.format(Locale.ROOT,
                    "<line x1=\"%.0f\" y1=\"%d\" x2=\"%.0f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>"
                            + "<text x=\"%.0f\" y=\"%d\">%s</text>%n",
                    LEFT + pw + 10, ly - 4, LEFT + pw + 28, ly - 4, color, LEFT + pw + 32, ly,
                    Html.escape(names.get(s))));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    static List<Double> ticks(double lo, double hi) {
        double raw = (hi - lo) / 6;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = 10 * mag;
        for (double m : new double[] {1, 2, 5, 10}) {
            if (raw <= m * mag) {
                step = m * mag;
                break;
            }
        }
        List<Double> out = new ArrayList<>();
        for (double t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
            out.add(t);
        }
        return out;
    }

    private static String fmt(double v) {
        return Math.abs(v - Math.rint(v)) < 1e-9
                ? String.valueOf((long) Math.rint(v))
                : String.format(Locale.ROOT, "%.1f", v);
    }
}
