package io.kubeai.core.fragmentation;

import io.kubeai.core.resource.PodRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The workload's typical pod distribution against which fragmentation is measured (FGD, Weng et
 * al., USENIX ATC '23): the most frequent resource shapes that together cover at least
 * {@code coveragePercent} of the pods, with frequencies renormalised to sum to 1.
 *
 * <p>Shapes are ranked by count, then by CPU, GPU milli, GPU count and models, all descending,
 * so the cut is deterministic. O(pods + shapes log shapes).
 */
public final class TypicalPods {
    /** The FGD artifact's setting: shapes covering 95 % of pods, CPU-only pods included. */
    public static final int DEFAULT_COVERAGE_PERCENT = 95;

    private final List<TypicalPod> pods;

    private TypicalPods(List<TypicalPod> pods) {
        this.pods = List.copyOf(pods);
    }

    public static TypicalPods of(List<TypicalPod> pods) {
        double sum = 0;
        for (TypicalPod p : pods) {
            if (p.frequency() < 0 || p.frequency() > 1) {
                throw new IllegalArgumentException("frequency must be within 0..1: " + p);
            }
            sum += p.frequency();
        }
        if (!pods.isEmpty() && Math.abs(sum - 1) > 1e-6) {
            throw new IllegalArgumentException("frequencies must sum to 1, sum to " + sum);
        }
        return new TypicalPods(pods);
    }

    /** Typical pods of a workload, covering {@link #DEFAULT_COVERAGE_PERCENT} of it. */
    public static TypicalPods fromWorkload(Collection<PodRequest> workload) {
        return fromWorkload(workload, DEFAULT_COVERAGE_PERCENT);
    }

    public static TypicalPods fromWorkload(Collection<PodRequest> workload, int coveragePercent) {
        if (coveragePercent < 1 || coveragePercent > 100) {
            throw new IllegalArgumentException("coveragePercent must be 1..100: " + coveragePercent);
        }
        Map<Shape, Integer> counts = new HashMap<>();
        for (PodRequest p : workload) {
            counts.merge(new Shape(p.cpuMillis(), p.gpuCount(), p.gpuMillisPerDevice(), p.gpuModels().toString(), p),
                    1, Integer::sum);
        }
        List<Map.Entry<Shape, Integer>> ranked = new ArrayList<>(counts.entrySet());
        // Most frequent first; ties broken by the shape itself, largest first, so the cut is stable.
        ranked.sort(Comparator.<Map.Entry<Shape, Integer>>comparingInt(Map.Entry::getValue)
                .thenComparing(Map.Entry::getKey, Shape.ORDER)
                .reversed());
        double total = workload.size();
        double wanted = coveragePercent * total / 100.0;
        List<TypicalPod> out = new ArrayList<>();
        double covered = 0;
        for (Map.Entry<Shape, Integer> e : ranked) {
            if (covered >= wanted) {
                break;
            }
            covered += e.getValue();
            out.add(TypicalPod.of(e.getKey().example(), e.getValue()));
        }
        List<TypicalPod> normalised = new ArrayList<>(out.size());
        for (TypicalPod p : out) {
            normalised.add(p.withFrequency(p.frequency() / covered));
        }
        return new TypicalPods(normalised);
    }

    public List<TypicalPod> pods() {
        return pods;
    }

    public int size() {
        return pods.size();
    }

    private record Shape(long cpu, int gpuCount, int gpuMillis, String models, PodRequest example) {
        static final Comparator<Shape> ORDER = Comparator.comparingLong(Shape::cpu)
                .thenComparingInt(Shape::gpuMillis)
                .thenComparingInt(Shape::gpuCount)
                .thenComparing(Shape::models);

        @Override
        public boolean equals(Object o) {
            return o instanceof Shape s && cpu == s.cpu && gpuCount == s.gpuCount
                    && gpuMillis == s.gpuMillis && models.equals(s.models);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(cpu, gpuCount, gpuMillis, models);
        }
    }
}
