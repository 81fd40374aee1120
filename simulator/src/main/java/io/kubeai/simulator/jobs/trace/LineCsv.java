package io.kubeai.simulator.jobs.trace;

import io.kubeai.simulator.trace.TraceFormatException;
import io.kubeai.simulator.trace.TraceSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams a CSV file without quoting (the format of the public traces and of job traces) one row
 * at a time, so that a million-row file is never held as text. Fields are stripped of surrounding
 * blanks; blank lines are skipped; every error names file, line and 1-based field number.
 */
final class LineCsv implements AutoCloseable {
    private final String file;
    private final BufferedReader in;
    private final int width;
    private final List<String> header;
    private int line;
    private String[] fields;

    private LineCsv(String file, BufferedReader in, List<String> header, int line) {
        this.file = file;
        this.in = in;
        this.header = header;
        this.width = header == null ? -1 : header.size();
        this.line = line;
    }

    /** A file whose first line names the columns. */
    static LineCsv withHeader(TraceSource source) {
        BufferedReader in = open(source);
        try {
            String first = in.readLine();
            if (first == null) {
                close(in);
                throw new TraceFormatException(source.name(), 1, 0, "empty file, expected a CSV header line");
            }
            if (first.startsWith("\uFEFF")) {
                first = first.substring(1);
            }
            List<String> header = new ArrayList<>();
            for (String name : first.split(",", -1)) {
                header.add(name.strip());
            }
            for (int i = 0; i < header.size(); i++) {
                if (header.get(i).isEmpty()) {
                    close(in);
                    throw new TraceFormatException(source.name(), 1, i + 1, "empty column name in the header");
                }
            }
            return new LineCsv(source.name(), in, List.copyOf(header), 1);
        } catch (IOException e) {
            close(in);
            throw new UncheckedIOException("cannot read " + source.name(), e);
        }
    }

    /** A file without a header whose rows have {@code columns} fields. */
    static LineCsv headerless(TraceSource source, List<String> columns) {
        return new LineCsv(source.name(), open(source), List.copyOf(columns), 0);
    }

    private static BufferedReader open(TraceSource source) {
        try {
            return source.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source.name(), e);
        }
    }

    private static void close(BufferedReader in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing more to report than the error already being thrown
        }
    }

    String file() {
        return file;
    }

    List<String> header() {
        return header;
    }

    /** Moves to the next non-blank row; false at the end of the file. */
    boolean next() {
        try {
            String s;
            while ((s = in.readLine()) != null) {
                line++;
                if (s.isBlank()) {
                    continue;
                }
                int quote = s.indexOf('"');
                if (quote >= 0) {
                    throw new TraceFormatException(file, line, fieldOfChar(s, quote),
                            "quoted fields are not supported, expected plain comma-separated values");
                }
                String[] f = s.split(",", -1);
                if (f.length != width) {
                    throw new TraceFormatException(file, line, Math.min(f.length, width) + 1,
                            "expected " + width + " fields (" + String.join(",", header) + "), found " + f.length);
                }
                for (int i = 0; i < f.length; i++) {
                    f[i] = f[i].strip();
                }
                fields = f;
                return true;
            }
            fields = null;
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static int fieldOfChar(String s, int index) {
        int field = 1;
        for (int i = 0; i < index; i++) {
            if (s.charAt(i) == ',') {
                field++;
            }
        }
        return field;
    }

    /** 1-based number of the current line. */
    int line() {
        return line;
    }

    /** The stripped text of a field (0-based index) of the current row. */
    String text(int column) {
        return fields[column];
    }

    /** An error at a field (0-based index) of the current row. */
    TraceFormatException error(int column, String problem) {
        return new TraceFormatException(file, line, column + 1, problem);
    }

    /** A number of any kind, for the calibration traces. */
    double finiteDouble(int column, String what) {
        String s = text(column);
        try {
            double v = Double.parseDouble(s);
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(column, "expected " + what + " for " + header.get(column) + ", found \"" + s + "\"");
    }

    long nonNegativeLong(int column) {
        String s = text(column);
        try {
            long v = Long.parseLong(s);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(column, "expected a non-negative integer for " + header.get(column) + ", found \"" + s + "\"");
    }

    @Override
    public void close() {
        close(in);
    }
}
