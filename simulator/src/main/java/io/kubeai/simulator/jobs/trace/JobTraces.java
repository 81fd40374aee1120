package io.kubeai.simulator.jobs.trace;

import io.kubeai.core.cluster.Node;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.trace.TraceFormatException;
import io.kubeai.simulator.trace.TraceSource;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads and writes job traces, in CSV or JSON lines with the same fields (the format is
 * {@code FORMAT.md} beside this class). A file is read whole or refused with a
 * {@link TraceFormatException} naming file, line and column: nothing is half-loaded.
 */
public final class JobTraces {
    /** The order of a job trace: submit time, then job id (string order). */
    public static final Comparator<JobSpec> SUBMIT_ORDER =
            Comparator.comparingLong(JobSpec::submitSeconds).thenComparing(JobSpec::id);

    private static final JsonFactory JSON = new JsonFactory();
    private static final String OPTIONAL = "gpu_spec, " + JobField.names(JobField.TIMING);
    private static final JsonFactory JSON_LINES_OUT = JsonFactory.builder().rootValueSeparator("\n").build();

    private JobTraces() {
    }

    /**
     * Reads a job trace, in CSV when the file name ends in {@code .csv}, in JSON lines when it
     * ends in {@code .jsonl}. The jobs come sorted by {@link #SUBMIT_ORDER}.
     */
    public static List<JobSpec> read(TraceSource source) {
        String name = source.name().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return readCsv(source);
        }
        if (name.endsWith(".jsonl")) {
            return readJsonLines(source);
        }
        throw new TraceFormatException(source.name(), 0, 0,
                "unknown job trace format: expected a file name ending in .csv or .jsonl");
    }

    /** Reads a CSV job trace whatever the file is called. */
    public static List<JobSpec> readCsv(TraceSource source) {
        List<JobSpec> jobs = new ArrayList<>();
        Map<String, Integer> lineOfId = new HashMap<>();
        try (LineCsv csv = LineCsv.withHeader(source)) {
            List<String> header = csv.header();
            JobField[] fieldAt = new JobField[header.size()];
            Set<JobField> present = new HashSet<>();
            for (int i = 0; i < header.size(); i++) {
                JobField f = JobField.named(header.get(i));
                if (f == null) {
                    throw new TraceFormatException(source.name(), 1, i + 1, "unknown column \"" + header.get(i)
                            + "\"; a job trace has the columns " + JobField.names() + " (" + OPTIONAL + " optional)");
                }
                if (!present.add(f)) {
                    throw new TraceFormatException(source.name(), 1, i + 1, "duplicate column \"" + header.get(i) + "\"");
                }
                fieldAt[i] = f;
            }
            for (JobField f : JobField.ALL) {
                if (!f.optional() && !present.contains(f)) {
                    throw new TraceFormatException(source.name(), 1, 0, "missing column \"" + f.fieldName
                            + "\"; header is " + String.join(",", header));
                }
            }
            JobRow row = new JobRow(source.name());
            while (csv.next()) {
                row.start(csv.line());
                for (int i = 0; i < fieldAt.length; i++) {
                    row.set(fieldAt[i], csv.text(i), i + 1);
                }
                add(jobs, lineOfId, row.build(), row, row.column(JobField.JOB_ID), csv.line());
            }
        }
        return sorted(jobs);
    }

    /** Reads a JSON-lines job trace whatever the file is called. */
    public static List<JobSpec> readJsonLines(TraceSource source) {
        List<JobSpec> jobs = new ArrayList<>();
        Map<String, Integer> lineOfId = new HashMap<>();
        JobRow row = new JobRow(source.name());
        try (BufferedReader in = source.open()) {
            String text;
            int line = 0;
            while ((text = in.readLine()) != null) {
                line++;
                if (line == 1 && text.startsWith("\uFEFF")) {
                    text = text.substring(1);
                }
                if (text.isBlank()) {
                    continue;
                }
                row.start(line);
                parseObject(text, row);
                add(jobs, lineOfId, row.build(), row, row.column(JobField.JOB_ID), line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source.name(), e);
        }
        return sorted(jobs);
    }

    private static void add(List<JobSpec> jobs, Map<String, Integer> lineOfId, JobSpec job, JobRow row,
            int idColumn, int line) {
        Integer first = lineOfId.putIfAbsent(job.id(), line);
        if (first != null) {
            throw row.error(idColumn, "duplicate job_id \"" + job.id() + "\" (first on line " + first + ")");
        }
        jobs.add(job);
    }

    private static List<JobSpec> sorted(List<JobSpec> jobs) {
        jobs.sort(SUBMIT_ORDER);
        return Collections.unmodifiableList(jobs);
    }

    private static void parseObject(String text, JobRow row) {
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), text)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                throw row.error(column(p), "expected a JSON object with the fields of a job, found " + describe(t, p));
            }
            while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                int nameColumn = column(p);
                JobField f = JobField.named(name);
                if (f == null) {
                    throw row.error(nameColumn, "unknown field \"" + name + "\"; a job has the fields "
                            + JobField.names() + " (" + OPTIONAL + " optional)");
                }
                if (row.seen(f)) {
                    throw row.error(nameColumn, "duplicate field \"" + name + "\"");
                }
                t = p.nextToken();
                int c = column(p);
                if (f.isText() && t == JsonToken.VALUE_STRING) {
                    row.set(f, p.getString(), c);
                } else if (f.isBoolean() && (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE)) {
                    row.set(f, t == JsonToken.VALUE_TRUE ? "true" : "false", c);
                } else if (f.optional() && t == JsonToken.VALUE_NULL) {
                    row.setNull(f, c);
                } else if (!f.isText() && !f.isBoolean()
                        && (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT)) {
                    row.set(f, p.getString(), c);
                } else {
                    throw row.error(c, "expected " + f.expected + " for " + name + ", found " + describe(t, p));
                }
            }
            // the parser itself refuses anything but END_OBJECT here
            t = p.nextToken();
            if (t != null) {
                throw row.error(column(p), "expected the end of the line after the job's object, found "
                        + describe(t, p));
            }
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            int c = at == null || at.getColumnNr() < 1 ? 0 : at.getColumnNr();
            String m = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
            int nl = m.indexOf('\n');
            m = nl >= 0 ? m.substring(0, nl) : m;
            int source = m.indexOf(" (start marker at [Source:");
            m = source >= 0 ? m.substring(0, source) : m;
            throw row.error(c, "malformed JSON: " + m);
        }
    }

    private static int column(JsonParser p) {
        TokenStreamLocation at = p.currentTokenLocation();
        return at == null || at.getColumnNr() < 1 ? 0 : at.getColumnNr();
    }

    private static String describe(JsonToken t, JsonParser p) {
        if (t == null) {
            return "the end of the line";
        }
        return switch (t) {
            case VALUE_STRING -> "the string \"" + p.getString() + "\"";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + p.getString();
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case VALUE_NULL -> "null";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> t.toString();
        };
    }

    /**
     * Writes jobs as CSV in the order given, with every column ({@code gpu_spec} empty for any
     * model), except the timing columns ({@code periodic}, {@code not_before}, {@code deadline})
     * when no job has any timing. Refuses, before writing anything, a job that the readers would
     * not read back as itself (see {@link #checkWritable}).
     */
    public static void writeCsv(List<JobSpec> jobs, Path file) throws IOException {
        checkWritable(jobs);
        boolean timing = jobs.stream().anyMatch(JobSpec::hasTiming);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(timing ? JobField.names() : JobField.names(JobField.ALL.stream()
                    .filter(f -> !JobField.TIMING.contains(f)).toList()));
            out.write('\n');
            StringBuilder sb = new StringBuilder(128);
            for (JobSpec j : jobs) {
                PodRequest r = j.podRequest();
                sb.setLength(0);
                sb.append(j.id()).append(',').append(j.submitSeconds()).append(',').append(j.durationSeconds())
                        .append(',').append(j.queue()).append(',').append(j.tier()).append(',').append(j.priority())
                        .append(',').append(j.pods()).append(',').append(r.cpuMillis()).append(',')
                        .append(r.memoryBytes() / JobRow.MIB).append(',').append(r.gpuCount()).append(',')
                        .append(r.gpuMillisPerDevice()).append(',');
                if (!r.gpuModels().isAny()) {
                    sb.append(String.join("|", r.gpuModels().models()));
                }
                if (timing) {
                    sb.append(',').append(j.periodic()).append(',');
                    if (j.hasNotBefore()) {
                        sb.append(j.notBeforeSeconds());
                    }
                    sb.append(',');
                    if (j.hasDeadline()) {
                        sb.append(j.deadlineSeconds());
                    }
                }
                sb.append('\n');
                out.append(sb);
            }
        }
    }

    /**
     * Writes jobs as JSON lines in the order given, one object per line with the fields in the
     * order of the CSV columns; {@code gpu_spec} only when the job names GPU models,
     * {@code periodic} only when true, {@code not_before} and {@code deadline} only when set. Refuses what
     * {@link #writeCsv} refuses, before writing anything.
     */
    public static void writeJsonLines(List<JobSpec> jobs, Path file) throws IOException {
        checkWritable(jobs);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                JsonGenerator g = JSON_LINES_OUT.createGenerator(ObjectWriteContext.empty(), w)) {
            for (JobSpec j : jobs) {
                PodRequest r = j.podRequest();
                g.writeStartObject();
                g.writeStringProperty(JobField.JOB_ID.fieldName, j.id());
                g.writeNumberProperty(JobField.SUBMIT_TIME.fieldName, j.submitSeconds());
                g.writeNumberProperty(JobField.DURATION.fieldName, j.durationSeconds());
                g.writeStringProperty(JobField.QUEUE.fieldName, j.queue());
                g.writeStringProperty(JobField.TIER.fieldName, j.tier());
                g.writeNumberProperty(JobField.PRIORITY.fieldName, j.priority());
                g.writeNumberProperty(JobField.PODS.fieldName, j.pods());
                g.writeNumberProperty(JobField.CPU_MILLI.fieldName, r.cpuMillis());
                g.writeNumberProperty(JobField.MEMORY_MIB.fieldName, r.memoryBytes() / JobRow.MIB);
                g.writeNumberProperty(JobField.NUM_GPU.fieldName, r.gpuCount());
                g.writeNumberProperty(JobField.GPU_MILLI.fieldName, r.gpuMillisPerDevice());
                if (!r.gpuModels().isAny()) {
                    g.writeStringProperty(JobField.GPU_SPEC.fieldName, String.join("|", r.gpuModels().models()));
                }
                if (j.periodic()) {
                    g.writeBooleanProperty(JobField.PERIODIC.fieldName, true);
                }
                if (j.hasNotBefore()) {
                    g.writeNumberProperty(JobField.NOT_BEFORE.fieldName, j.notBeforeSeconds());
                }
                if (j.hasDeadline()) {
                    g.writeNumberProperty(JobField.DEADLINE.fieldName, j.deadlineSeconds());
                }
                g.writeEndObject();
            }
            if (!jobs.isEmpty()) {
                g.writeRaw('\n');
            }
        } catch (JacksonException e) {
            throw new IOException("cannot write " + file + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Throws {@link IllegalArgumentException} naming the first job that a job trace cannot hold
     * exactly: an id or queue with blanks, commas or quotes, a GPU model likewise, memory that is
     * not a whole number of MiB, more than {@value Node#MAX_GPUS} GPUs per pod, extended
     * resources, or an id used twice.
     */
    public static void checkWritable(List<JobSpec> jobs) {
        Set<String> ids = new HashSet<>();
        for (JobSpec j : jobs) {
            String problem = null;
            PodRequest r = j.podRequest();
            if (!JobRow.isWord(j.id())) {
                problem = "the id has blanks, commas or quotes";
            } else if (!ids.add(j.id())) {
                problem = "the id is used twice";
            } else if (!JobRow.isWord(j.queue())) {
                problem = "queue \"" + j.queue() + "\" has blanks, commas or quotes";
            } else if (r.memoryBytes() % JobRow.MIB != 0) {
                problem = "memory " + r.memoryBytes() + " bytes is not a whole number of MiB";
            } else if (r.gpuCount() > Node.MAX_GPUS) {
                problem = r.gpuCount() + " GPUs per pod is more than " + Node.MAX_GPUS;
            } else if (!r.extended().isEmpty()) {
                problem = "extended resources " + r.extended() + " have no column in a job trace";
            } else {
                for (String m : r.gpuModels().models()) {
                    if (!JobRow.isWord(m) || m.indexOf('|') >= 0) {
                        problem = "GPU model \"" + m + "\" has blanks, commas, quotes or |";
                    }
                }
            }
            if (problem != null) {
                throw new IllegalArgumentException("job \"" + j.id() + "\" cannot be written to a job trace: " + problem);
            }
        }
    }
}
