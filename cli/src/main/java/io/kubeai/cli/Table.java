package io.kubeai.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** An aligned text table: a header, rows, two spaces between columns, no trailing blanks. */
final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final boolean[] right;

    /** Columns whose index is in {@code rightAligned} are aligned to the right (numbers). */
    Table(String[] header, int... rightAligned) {
        rows.add(header);
        right = new boolean[header.length];
        for (int i : rightAligned) {
            right[i] = true;
        }
    }

    Table row(String... cells) {
        if (cells.length != right.length) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + right.length);
        }
        rows.add(cells);
        return this;
    }

    void print(PrintWriter out, String indent) {
        int[] width = new int[right.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder(indent);
            for (int i = 0; i < r.length; i++) {
                String pad = " ".repeat(width[i] - r[i].length());
                sb.append(i == 0 ? "" : "  ").append(right[i] ? pad + r[i] : r[i] + pad);
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
