package io.kubeai.core.placement;

import io.kubeai.core.cluster.NodeState;
import io.kubeai.core.fragmentation.FragmentationMeasure;
import io.kubeai.core.fragmentation.TypicalPods;
import io.kubeai.core.resource.PodRequest;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * FGD, fragmentation gradient descent (Weng et al., USENIX ATC '23): place the pod where it
 * increases the node's GPU fragmentation, measured against the workload's typical pods, the
 * least; a shared pod takes the device that does so. The score is
 * {@code ⌊100 · sigmoid((before − after) / 1000)⌋}, so small differences tie and the selector
 * breaks ties at random, exactly as the authors' kube-scheduler plugin does.
 *
 * <p>O(devices) memoised fragmentation look-ups per node. Not thread-safe.
 */
public final class PlacementFgd implements PlacementPolicy {
    public static final String NAME = "FGD";

    private final FragmentationMeasure measure;
    private final int[] gpus = new int[32];

    public PlacementFgd(TypicalPods typicalPods) {
        this(new FragmentationMeasure(typicalPods));
    }

    public PlacementFgd(FragmentationMeasure measure) {
        this.measure = measure;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long score(NodeState node, PodRequest pod) {
        double before = measure.fragmentedMillis(node);
        if (pod.sharesGpu()) {
            long best = -1;
            for (int d = 0; d < node.gpuCount(); d++) {
                if (node.gpuFreeMillis(d) >= pod.gpuMillisPerDevice()) {
                    best = Math.max(best, scoreOnDevice(node, pod, before, d));
                }
            }
            return Math.max(best, 0);
        }
        int n = node.copyGpuFree(gpus);
        Arrays.sort(gpus, 0, n);
        // Whole devices come from the least free ones that fit (all fully free here).
        int want = pod.gpuCount();
        for (int d = 0; d < n && want > 0; d++) {
            if (gpus[d] >= pod.gpuMillisPerDevice()) {
                gpus[d] -= pod.gpuMillisPerDevice();
                want--;
            }
        }
        double after = measure.fragmentedMillis(node.gpuModel(), node.cpuFreeMillis() - pod.cpuMillis(), gpus, n);
        return toScore(before, after);
    }

    @Override
    public int selectDevices(NodeState node, PodRequest pod, RandomGenerator random) {
        if (!pod.sharesGpu()) {
            return GpuDevices.lowestFitting(node, pod);
        }
        double before = measure.fragmentedMillis(node);
        int chosen = -1;
        long best = Long.MIN_VALUE;
        for (int d = 0; d < node.gpuCount(); d++) {
            if (node.gpuFreeMillis(d) >= pod.gpuMillisPerDevice()) {
                long s = scoreOnDevice(node, pod, before, d);
                // Strictly better only: the lowest-numbered device wins a tie.
                if (s > best) {
                    best = s;
                    chosen = d;
                }
            }
        }
        return chosen < 0 ? 0 : 1 << chosen;
    }

    private long scoreOnDevice(NodeState node, PodRequest pod, double before, int device) {
        int n = node.copyGpuFree(gpus);
        gpus[device] -= pod.gpuMillisPerDevice();
        double after = measure.fragmentedMillis(node.gpuModel(), node.cpuFreeMillis() - pod.cpuMillis(), gpus, n);
        return toScore(before, after);
    }

    static long toScore(double before, double after) {
        double sigmoid = 1.0 / (1.0 + Math.exp(-((before - after) / 1000)));
        return (long) (sigmoid * 100);
    }

    public FragmentationMeasure measure() {
        return measure;
    }
}
