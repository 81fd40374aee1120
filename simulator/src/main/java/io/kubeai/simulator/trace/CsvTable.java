package io.kubeai.simulator.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small reader of header-first CSV files without quoting (the format of the public cluster
 * traces). Every error is a {@link TraceFormatException} naming file, line and column.
 */
final class CsvTable {
    private final String file;
    private final Map<String, Integer> columns = new HashMap<>();
    private final List<String> header;
    private final List<String[]> rows = new ArrayList<>();
    private final List<Integer> lineNumbers = new ArrayList<>();

    private CsvTable(String file, List<String> header) {
        this.file = file;
        this.header = header;
        for (int i = 0; i < header.size(); i++) {
            columns.put(header.get(i), i);
        }
    }

    static CsvTable read(TraceSource source) {
        try (BufferedReader in = source.open()) {
            String first = in.readLine();
            if (first == null) {
                throw new TraceFormatException(source.name(), 1, 0, "empty file, expected a CSV header line");
            }
            first = stripBom(first);
            List<String> header = List.of(first.split(",", -1));
            CsvTable table = new CsvTable(source.name(), header);
            for (int i = 0; i < header.size(); i++) {
                String name = header.get(i).strip();
                if (name.isEmpty()) {
                    throw new TraceFormatException(source.name(), 1, i + 1, "empty column name in the header");
                }
            }
            String line;
            int number = 1;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                if (line.indexOf('"') >= 0) {
                    throw new TraceFormatException(source.name(), number, line.indexOf('"') + 1,
                            "quoted fields are not supported, expected plain comma-separated values");
                }
                String[] fields = line.split(",", -1);
                if (fields.length != header.size()) {
                    throw new TraceFormatException(source.name(), number, Math.min(fields.length, header.size()) + 1,
                            "expected " + header.size() + " fields (" + String.join(",", header) + "), found "
                                    + fields.length);
                }
                table.rows.add(fields);
                table.lineNumbers.add(number);
            }
            return table;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source.name(), e);
        }
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    String file() {
        return file;
    }

    int size() {
        return rows.size();
    }

    boolean hasColumn(String name) {
        return columns.containsKey(name);
    }

    /** Index of a column that must exist. */
    int require(String name) {
        Integer i = columns.get(name);
        if (i == null) {
            throw new TraceFormatException(file, 1, 0, "missing column \"" + name + "\"; header is "
                    + String.join(",", header));
        }
        return i;
    }

    String text(int row, int column) {
        return rows.get(row)[column].strip();
    }

    int lineOf(int row) {
        return lineNumbers.get(row);
    }

    /** A non-negative integer field, with an error naming the place and the column otherwise. */
    long nonNegativeLong(int row, int column) {
        String s = text(row, column);
        try {
            long v = Long.parseLong(s);
            if (v < 0) {
                throw error(row, column, "expected a non-negative integer for " + header.get(column) + ", found " + s);
            }
            return v;
        } catch (NumberFormatException e) {
            throw error(row, column, "expected a non-negative integer for " + header.get(column) + ", found \"" + s + "\"");
        }
    }

    TraceFormatException error(int row, int column, String problem) {
        return new TraceFormatException(file, lineOf(row), column + 1, problem);
    }
}
