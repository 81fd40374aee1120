package io.kubeai.simulator.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small self-contained SVG scatter chart (no scripts, nothing fetched): groups of points, each
 * with an optional error bar in x and y (a spread, such as min–max over seeds), optionally joined
 * by a line in x order, with a legend. NaN points are left out. O(points).
 */
public final class SvgScatterChart {
    /** How a group is drawn. */
    public enum Marker {
        DOT,
        SQUARE,
        DIAMOND
    }

    private static final int WIDTH = 720;
    private static final int HEIGHT = 400;
    private static final int LEFT = 70;
    private static final int RIGHT = 170;
    private static final int TOP = 30;
    private static final int BOTTOM = 45;

    private record Point(double x, double y, double xLo, double xHi, double yLo, double yHi, String label) {
    }

    private record Group(String name, String color, Marker marker, double radius, boolean joined, List<Point> points) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Group> groups = new ArrayList<>();

    public SvgScatterChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Starts a group; points added next belong to it. {@code joined} draws a line through them in x order. */
    public SvgScatterChart group(String name, String color, Marker marker, double radius, boolean joined) {
        groups.add(new Group(name, color, marker, radius, joined, new ArrayList<>()));
        return this;
    }

    /** A point of the last group, with its spread in x and y (pass the value itself for none) and a tooltip. */
    public SvgScatterChart point(double x, double y, double xLo, double xHi, double yLo, double yHi, String label) {
        if (groups.isEmpty()) {
            throw new IllegalStateException("start a group first");
        }
        if (!Double.isNaN(x) && !Double.isNaN(y)) {
            groups.get(groups.size() - 1).points().add(new Point(x, y, xLo, xHi, yLo, yHi, label));
        }
        return this;
    }

    public String render() {
        double x0 = Double.MAX_VALUE;
        double x1 = -Double.MAX_VALUE;
        double y0 = Double.MAX_VALUE;
        double y1 = -Double.MAX_VALUE;
        for (Group g : groups) {
            for (Point p : g.points()) {
                x0 = min(x0, p.x(), p.xLo());
                x1 = max(x1, p.x(), p.xHi());
                y0 = min(y0, p.y(), p.yLo());
                y1 = max(y1, p.y(), p.yHi());
            }
        }
        if (x0 > x1) {
            x0 = 0;
            x1 = 1;
            y0 = 0;
            y1 = 1;
        }
        // a margin of 5 % so that points do not sit on the frame
        double dx = Math.max(x1 - x0, Math.abs(x1) * 1e-3 + 1e-9) * 0.05;
        double dy = Math.max(y1 - y0, Math.abs(y1) * 1e-3 + 1e-9) * 0.05;
        x0 -= dx;
        x1 += dx;
        y0 -= dy;
        y1 += dy;
        double pw = WIDTH - LEFT - RIGHT;
        double ph = HEIGHT - TOP - BOTTOM;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"13\" font-weight=\"bold\">%s</text>%n",
                LEFT, Html.escape(title)));
        sb.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" stroke=\"#999\"/>%n",
                LEFT, TOP, pw, ph));
        for (double t : SvgLineChart.ticks(x0, x1)) {
            double px = LEFT + (t - x0) / (x1 - x0) * pw;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#eee\"/>"
                    + "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%s</text>%n",
                    px, TOP, px, TOP + ph, px, TOP + ph + 14, fmt(t)));
        }
        for (double t : SvgLineChart.ticks(y0, y1)) {
            double py = TOP + ph - (t - y0) / (y1 - y0) * ph;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#eee\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT, py, LEFT + pw, py, LEFT - 5, py + 4, fmt(t)));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                LEFT + pw / 2, HEIGHT - 8, Html.escape(xLabel)));
        sb.append(String.format(Locale.ROOT,
                "<text x=\"14\" y=\"%.0f\" text-anchor=\"middle\" transform=\"rotate(-90 14 %.0f)\">%s</text>%n",
                TOP + ph / 2, TOP + ph / 2, Html.escape(yLabel)));
        final double fx0 = x0;
        final double fx1 = x1;
        final double fy0 = y0;
        final double fy1 = y1;
        java.util.function.DoubleUnaryOperator px = x -> LEFT + (x - fx0) / (fx1 - fx0) * pw;
        java.util.function.DoubleUnaryOperator py = y -> TOP + ph - (y - fy0) / (fy1 - fy0) * ph;
        for (int gi = 0; gi < groups.size(); gi++) {
            Group g = groups.get(gi);
            if (g.joined() && g.points().size() > 1) {
                List<Point> sorted = new ArrayList<>(g.points());
                sorted.sort((a, b) -> a.x() != b.x() ? Double.compare(a.x(), b.x()) : Double.compare(a.y(), b.y()));
                StringBuilder path = new StringBuilder();
                for (int i = 0; i < sorted.size(); i++) {
                    path.append(i == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f",
                            px.applyAsDouble(sorted.get(i).x()), py.applyAsDouble(sorted.get(i).y())));
                }
                sb.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.2\" "
                        + "stroke-dasharray=\"4 3\"/>%n", path, g.color()));
            }
            for (Point p : g.points()) {
                double cx = px.applyAsDouble(p.x());
                double cy = py.applyAsDouble(p.y());
                if (p.xLo() < p.xHi()) {
                    sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                            + "stroke=\"%s\" stroke-opacity=\"0.6\"/>%n", px.applyAsDouble(p.xLo()), cy,
                            px.applyAsDouble(p.xHi()), cy, g.color()));
                }
                if (p.yLo() < p.yHi()) {
                    sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                            + "stroke=\"%s\" stroke-opacity=\"0.6\"/>%n", cx, py.applyAsDouble(p.yLo()), cx,
                            py.applyAsDouble(p.yHi()), g.color()));
                }
                sb.append(marker(g, cx, cy, "<title>" + Html.escape(p.label()) + "</title>"));
            }
            int ly = TOP + 12 + gi * 18;
            sb.append(marker(g, LEFT + pw + 18, ly - 4, ""));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%d\">%s</text>%n", LEFT + pw + 30, ly,
                    Html.escape(g.name())));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static String marker(Group g, double cx, double cy, String title) {
        double r = g.radius();
        return switch (g.marker()) {
            case DOT -> String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\">%s</circle>%n",
                    cx, cy, r, g.color(), title);
            case SQUARE -> String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                    + "fill=\"none\" stroke=\"%s\" stroke-width=\"2\">%s</rect>%n", cx - r, cy - r, 2 * r, 2 * r, g.color(),
                    title);
            case DIAMOND -> String.format(Locale.ROOT, "<path d=\"M%.1f %.1f L%.1f %.1f L%.1f %.1f L%.1f %.1f Z\" "
                    + "fill=\"none\" stroke=\"%s\" stroke-width=\"2\">%s</path>%n", cx, cy - r, cx + r, cy, cx, cy + r,
                    cx - r, cy, g.color(), title);
        };
    }

    private static double min(double a, double b, double c) {
        double m = Math.min(a, b);
        return Double.isNaN(c) ? m : Math.min(m, c);
    }

    private static double max(double a, double b, double c) {
        double m = Math.max(a, b);
        return Double.isNaN(c) ? m : Math.max(m, c);
    }

    private static String fmt(double v) {
        if (Math.abs(v - Math.rint(v)) < 1e-9) {
            return String.valueOf((long) Math.rint(v));
        }
        return Math.abs(v) < 0.1 ? String.format(Locale.ROOT, "%.3f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
