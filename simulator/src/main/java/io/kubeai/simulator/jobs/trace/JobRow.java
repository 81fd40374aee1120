package io.kubeai.simulator.jobs.trace;

import io.kubeai.core.cluster.Node;
import io.kubeai.core.resource.ExtendedResources;
import io.kubeai.core.resource.GpuModels;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.trace.TraceFormatException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One job being read, field by field, with the checks both formats share. Each field remembers
 * the column it came from so that errors found only when the row is complete (a GPU fraction on
 * several GPUs) still point at the right place. Reused from row to row.
 */
final class JobRow {
    static final long MIB = 1024L * 1024L;

    private final String file;
    /** Shares equal strings and requests between jobs: a million jobs hold a few hundred shapes. */
    private final Map<Object, Object> interned = new HashMap<>();
    private final int[] columns = new int[JobField.ALL.size()];
    private final boolean[] seen = new boolean[JobField.ALL.size()];
    private int line;

    private String id;
    private long submit;
    private long duration;
    private String queue;
    private String tier;
    private int priority;
    private int pods;
    private long cpuMilli;
    private long memoryMib;
    private int numGpu;
    private int gpuMilli;
    private GpuModels gpuSpec;
    private boolean periodic;
    private long notBefore;
    private long deadline;

    JobRow(String file) {
        this.file = file;
    }

    void start(int lineNumber) {
        this.line = lineNumber;
        Arrays.fill(seen, false);
        gpuSpec = GpuModels.ANY;
        periodic = false;
        notBefore = JobSpec.NO_TIME;
        deadline = JobSpec.NO_TIME;
    }

    boolean seen(JobField f) {
        return seen[f.ordinal()];
    }

    TraceFormatException error(int column, String problem) {
        return new TraceFormatException(file, line, column, problem);
    }

    /** The text of a field at a 1-based column; checks what a single field can be checked for. */
    void set(JobField f, String text, int column) {
        seen[f.ordinal()] = true;
        columns[f.ordinal()] = column;
        switch (f) {
            case JOB_ID -> id = word(f, text, column);
            case QUEUE -> queue = intern(word(f, text, column));
            case TIER -> {
                if (JobSpec.TIER_PROD.equals(text)) {
                    tier = JobSpec.TIER_PROD;
                } else if (JobSpec.TIER_DEV.equals(text)) {
                    tier = JobSpec.TIER_DEV;
                } else {
                    throw error(column, "expected tier prod or dev, found \"" + text + "\"");
                }
            }
            case SUBMIT_TIME -> submit = integer(f, text, column, 0, Long.MAX_VALUE);
            case DURATION -> duration = integer(f, text, column, 1, Long.MAX_VALUE);
            case PRIORITY -> priority = (int) integer(f, text, column, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case PODS -> pods = (int) integer(f, text, column, 1, Integer.MAX_VALUE);
            case CPU_MILLI -> cpuMilli = integer(f, text, column, 0, Long.MAX_VALUE);
            case MEMORY_MIB -> memoryMib = integer(f, text, column, 0, Long.MAX_VALUE / MIB);
            case NUM_GPU -> numGpu = (int) integer(f, text, column, 0, Node.MAX_GPUS);
            case GPU_MILLI -> gpuMilli = (int) integer(f, text, column, 0, PodRequest.MILLIS_PER_GPU);
            case GPU_SPEC -> gpuSpec = models(text, column);
            case PERIODIC -> periodic = bool(f, text, column);
            case NOT_BEFORE -> notBefore = text.isEmpty() ? JobSpec.NO_TIME : integer(f, text, column, 0, Long.MAX_VALUE);
            case DEADLINE -> deadline = text.isEmpty() ? JobSpec.NO_TIME : integer(f, text, column, 0, Long.MAX_VALUE);
            default -> throw new AssertionError(f);
        }
    }

    /** A JSON {@code null} for an optional field: the same as leaving it out. */
    void setNull(JobField f, int column) {
        seen[f.ordinal()] = true;
        columns[f.ordinal()] = column;
        switch (f) {
            case GPU_SPEC -> gpuSpec = GpuModels.ANY;
            case PERIODIC -> periodic = false;
            case NOT_BEFORE -> notBefore = JobSpec.NO_TIME;
            case DEADLINE -> deadline = JobSpec.NO_TIME;
            default -> throw new AssertionError(f);
        }
    }

    private boolean bool(JobField f, String text, int column) {
        if (text.isEmpty() || text.equals("false")) {
            return false;
        }
        if (text.equals("true")) {
            return true;
        }
        throw error(column, "expected " + f.expected + " for " + f.fieldName + ", found \"" + text + "\"");
    }

    private String word(JobField f, String text, int column) {
        if (text.isEmpty()) {
            throw error(column, "expected " + f.expected + " for " + f.fieldName + ", found an empty field");
        }
        if (!isWord(text)) {
            throw error(column, "expected " + f.expected + " for " + f.fieldName + ", found \"" + text + "\"");
        }
        return text;
    }

    /** Non-empty, no whitespace or control characters, no comma, no double quote. */
    static boolean isWord(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ',' || c == '"' || Character.isWhitespace(c) || Character.isISOControl(c)
                    || Character.isSpaceChar(c)) {
                return false;
            }
        }
        return true;
    }

    private long integer(JobField f, String text, int column, long min, long max) {
        long v;
        try {
            v = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw error(column, "expected " + f.expected + " for " + f.fieldName + ", found \"" + text + "\"");
        }
        if (v < min || v > max) {
            throw error(column, "expected " + f.expected + " for " + f.fieldName + ", found " + v);
        }
        return v;
    }

    private GpuModels models(String text, int column) {
        if (text.isEmpty()) {
            return GpuModels.ANY;
        }
        for (String m : text.split("\\|", -1)) {
            if (!isWord(m)) {
                throw error(column, "expected " + JobField.GPU_SPEC.expected + " for gpu_spec, found \"" + text + "\"");
            }
        }
        return intern(GpuModels.parse(text));
    }

    @SuppressWarnings("unchecked")
    private <T> T intern(T value) {
        Object old = interned.putIfAbsent(value, value);
        return old == null ? value : (T) old;
    }

    /** The job, once the row's fields are set: absent fields and cross-field rules are checked here. */
    JobSpec build() {
        for (JobField f : JobField.ALL) {
            if (!f.optional() && !seen[f.ordinal()]) {
                throw error(0, "missing field \"" + f.fieldName + "\"; a job has " + JobField.names());
            }
        }
        int milliColumn = columns[JobField.GPU_MILLI.ordinal()];
        if (numGpu == 0 && gpuMilli != 0) {
            throw error(milliColumn, "expected gpu_milli 0 for a job without GPUs, found " + gpuMilli);
        }
        if (numGpu > 0 && gpuMilli < 1) {
            throw error(milliColumn, "expected gpu_milli within 1..1000 for a job with GPUs, found " + gpuMilli);
        }
        if (numGpu > 1 && gpuMilli != PodRequest.MILLIS_PER_GPU) {
            throw error(milliColumn, "expected gpu_milli 1000 for a pod with " + numGpu
                    + " GPUs (fractions are for one GPU), found " + gpuMilli);
        }
        if (numGpu == 0 && !gpuSpec.isAny()) {
            throw error(columns[JobField.GPU_SPEC.ordinal()],
                    "expected an empty gpu_spec for a job without GPUs, found \"" + gpuSpec + "\"");
        }
        if (deadline != JobSpec.NO_TIME && deadline <= submit) {
            throw error(columns[JobField.DEADLINE.ordinal()], "expected a deadline after submit_time " + submit
                    + ", found " + deadline);
        }
        if (deadline != JobSpec.NO_TIME && notBefore != JobSpec.NO_TIME && deadline <= notBefore) {
            throw error(columns[JobField.DEADLINE.ordinal()], "expected a deadline after not_before " + notBefore
                    + ", found " + deadline);
        }
        PodRequest request = intern(new PodRequest(cpuMilli, memoryMib * MIB, numGpu, gpuMilli, gpuSpec,
                ExtendedResources.NONE));
        return new JobSpec(id, submit, duration, queue, tier, priority, pods, request, periodic, notBefore, deadline);
    }

    int column(JobField f) {
        return columns[f.ordinal()];
    }
}
