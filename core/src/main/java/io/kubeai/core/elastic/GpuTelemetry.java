package io.kubeai.core.elastic;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** A node's GPUs as the last successful scrape saw them, and when that was. */
public record GpuTelemetry(Instant scrapedAt, List<GpuSample> gpus) {
    public GpuTelemetry {
        Objects.requireNonNull(scrapedAt, "scrapedAt");
        gpus = gpus.stream().sorted(Comparator.comparingInt(GpuSample::index).thenComparing(GpuSample::uuid)).toList();
    }

    public long ageSeconds(Instant now) {
        return Math.max(0, now.getEpochSecond() - scrapedAt.getEpochSecond());
    }
}
