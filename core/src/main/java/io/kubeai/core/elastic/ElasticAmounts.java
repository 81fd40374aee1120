package io.kubeai.core.elastic;

/**
 * An amount of each elastic resource: what a node lends, or what an elastic pod holds. CPU in
 * milli-cores, memory in bytes, GPUs in devices — the units the extended resources are
 * published in. Never negative.
 */
public record ElasticAmounts(long cpuMillis, long memoryBytes, long gpus) {
    public static final ElasticAmounts ZERO = new ElasticAmounts(0, 0, 0);

    public ElasticAmounts {
        if (cpuMillis < 0 || memoryBytes < 0 || gpus < 0) {
            throw new IllegalArgumentException("elastic amounts must not be negative: " + cpuMillis + "m, "
                    + memoryBytes + " bytes, " + gpus + " GPUs");
        }
    }

    public long get(ElasticResource r) {
        return switch (r) {
            case CPU -> cpuMillis;
            case MEMORY -> memoryBytes;
            case GPU -> gpus;
        };
    }

    public ElasticAmounts with(ElasticResource r, long v) {
        return switch (r) {
            case CPU -> new ElasticAmounts(v, memoryBytes, gpus);
            case MEMORY -> new ElasticAmounts(cpuMillis, v, gpus);
            case GPU -> new ElasticAmounts(cpuMillis, memoryBytes, v);
        };
    }

    public ElasticAmounts plus(ElasticAmounts o) {
        return new ElasticAmounts(cpuMillis + o.cpuMillis, memoryBytes + o.memoryBytes, gpus + o.gpus);
    }

    public boolean isZero() {
        return cpuMillis == 0 && memoryBytes == 0 && gpus == 0;
    }

    /** {@code 4000m}, {@code 12Gi}, {@code 2}: an amount as a person reads it. */
    public static String format(ElasticResource r, long v) {
        return switch (r) {
            case CPU -> v + "m";
            case MEMORY -> bytes(v);
            case GPU -> v == 1 ? "1 GPU" : v + " GPUs";
        };
    }

    private static String bytes(long v) {
        long gi = 1L << 30;
        long mi = 1L << 20;
        if (v >= gi) {
            return v % gi == 0 ? (v / gi) + "Gi" : String.format(java.util.Locale.ROOT, "%.1fGi", v / (double) gi);
        }
        if (v >= mi) {
            return v % mi == 0 ? (v / mi) + "Mi" : String.format(java.util.Locale.ROOT, "%.1fMi", v / (double) mi);
        }
        return v + "B";
    }
}
