package io.kubeai.core.elastic;

/** CPU and memory together: what something uses, requests or has. Never negative. */
public record Usage(long cpuMillis, long memoryBytes) {
    public static final Usage ZERO = new Usage(0, 0);

    public Usage {
        if (cpuMillis < 0 || memoryBytes < 0) {
            throw new IllegalArgumentException("usage must not be negative: cpu " + cpuMillis + "m, memory " + memoryBytes);
        }
    }

    public Usage plus(Usage o) {
        return new Usage(Math.addExact(cpuMillis, o.cpuMillis), Math.addExact(memoryBytes, o.memoryBytes));
    }
}
