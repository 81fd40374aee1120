package io.kubeai.simulator.jobs.trace;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The fields of a job trace, in the order the writers put them (see FORMAT.md). */
enum JobField {
    JOB_ID("job_id", "a job id without blanks, commas or quotes"),
    SUBMIT_TIME("submit_time", "a non-negative integer number of seconds"),
    DURATION("duration", "a positive integer number of seconds"),
    QUEUE("queue", "a queue name without blanks, commas or quotes"),
    TIER("tier", "prod or dev"),
    PRIORITY("priority", "an integer within -2147483648..2147483647"),
    PODS("pods", "an integer within 1..2147483647"),
    CPU_MILLI("cpu_milli", "a non-negative integer"),
    MEMORY_MIB("memory_mib", "a non-negative integer"),
    NUM_GPU("num_gpu", "an integer within 0..31"),
    GPU_MILLI("gpu_milli", "an integer within 0..1000"),
    GPU_SPEC("gpu_spec", "GPU models separated by |, without blanks, commas or quotes"),
    PERIODIC("periodic", "true or false"),
    NOT_BEFORE("not_before", "a non-negative integer number of seconds, or empty for none"),
    DEADLINE("deadline", "a non-negative integer number of seconds, or empty for none");

    /** The optional columns that say when a job may and must run. */
    static final List<JobField> TIMING = List.of(PERIODIC, NOT_BEFORE, DEADLINE);

    static final List<JobField> ALL = List.of(values());
    private static final Map<String, JobField> BY_NAME = new HashMap<>();

    static {
        for (JobField f : values()) {
            BY_NAME.put(f.fieldName, f);
        }
    }

    final String fieldName;
    final String expected;

    JobField(String fieldName, String expected) {
        this.fieldName = fieldName;
        this.expected = expected;
    }

    boolean optional() {
        return this == GPU_SPEC || TIMING.contains(this);
    }

    boolean isText() {
        return this == JOB_ID || this == QUEUE || this == TIER || this == GPU_SPEC;
    }

    boolean isBoolean() {
        return this == PERIODIC;
    }

    /** The field of that name, or null. */
    static JobField named(String name) {
        return BY_NAME.get(name);
    }

    /** Every field's name, comma-separated. */
    static String names() {
        return names(ALL);
    }

    static String names(List<JobField> fields) {
        StringBuilder sb = new StringBuilder();
        for (JobField f : fields) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(f.fieldName);
        }
        return sb.toString();
    }
}
