package io.kubeai.core.fragmentation;

import io.kubeai.core.cluster.NodeState;
import io.kubeai.core.resource.GpuModels;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * GPU fragmentation of a node measured against a workload's typical pods (FGD, Weng et al.,
 * USENIX ATC '23). For each typical pod, weighted by its frequency: if the node can host it
 * (GPU model accepted, enough devices with enough free milli-GPU, enough CPU), the free GPU on
 * devices too small for it is fragment; otherwise all of the node's free GPU is. A CPU-only
 * typical pod counts all free GPU as fragment, since it can never use it. Memory is ignored.
 *
 * <p>The value depends only on the GPU model, the free CPU and the multiset of free device
 * milli-GPU, so it is memoised on that key: a cluster of identical nodes computes each state
 * once. O(typical pods × devices) on a miss, a hash look-up on a hit. Not thread-safe: use one
 * instance per thread.
 */
public final class FragmentationMeasure {
    private final TypicalPod[] typical;
    private final GpuModels[] models;
    private final HashMap<Key, Double> memo = new HashMap<>();
    private final int[] scratch = new int[32];

    public FragmentationMeasure(TypicalPods typicalPods) {
        List<TypicalPod> list = typicalPods.pods();
        this.typical = list.toArray(new TypicalPod[0]);
        this.models = new GpuModels[typical.length];
        for (int i = 0; i < typical.length; i++) {
            models[i] = typical[i].gpuModels();
        }
    }

    /** Fragmented milli-GPU of a node in its current state. */
    public double fragmentedMillis(NodeState node) {
        int n = node.copyGpuFree(scratch);
        return fragmentedMillis(node.gpuModel(), node.cpuFreeMillis(), scratch, n);
    }

    /**
     * Fragmented milli-GPU of a node state given by its GPU model, free CPU and the free
     * milli-GPU of its first {@code devices} devices. {@code gpuFree} is reordered in place.
     */
    public double fragmentedMillis(String gpuModel, long cpuFreeMillis, int[] gpuFree, int devices) {
        if (devices == 0) {
            return 0;
        }
        Arrays.sort(gpuFree, 0, devices);
        if (devices > 8) {
            return compute(gpuModel, cpuFreeMillis, gpuFree, devices);
        }
        Key key = Key.of(gpuModel, cpuFreeMillis, gpuFree, devices);
        Double cached = memo.get(key);
        if (cached != null) {
            return cached;
        }
        double v = compute(gpuModel, cpuFreeMillis, gpuFree, devices);
        memo.put(key, v);
        return v;
    }

    private double compute(String gpuModel, long cpuFree, int[] gpuFree, int devices) {
        long total = 0;
        for (int d = 0; d < devices; d++) {
            total += gpuFree[d];
        }
        if (total == 0) {
            return 0;
        }
        double frag = 0;
        for (int t = 0; t < typical.length; t++) {
            TypicalPod p = typical[t];
            double f = p.frequency();
            if (p.gpuCount() == 0 || !models[t].allows(gpuModel)) {
                // A CPU-only pod or a pod that refuses this GPU model can use none of it.
                frag += f * total;
                continue;
            }
            int need = p.gpuMillisPerDevice();
            int big = 0;
            long small = 0;
            for (int d = 0; d < devices; d++) {
                if (gpuFree[d] >= need) {
                    big++;
                } else {
                    small += gpuFree[d];
                }
            }
            if (big >= p.gpuCount() && cpuFree >= p.cpuMillis()) {
                // It fits: only devices too small for it are fragment.
                frag += f * small;
            } else {
                // It cannot fit at all: every free milli-GPU is fragment to it.
                frag += f * total;
            }
        }
        return frag;
    }

    /** Distinct node states measured so far. */
    public int memoSize() {
        return memo.size();
    }

    /** GPU model, free CPU and up to 8 sorted device values (10 bits each) packed in three longs. */
    private record Key(String model, long cpuAndCount, long gpusLow, long gpusHigh) {
        static Key of(String model, long cpuFree, int[] sorted, int devices) {
            long low = 0;
            long high = 0;
            for (int d = 0; d < devices; d++) {
                long v = sorted[d] & 0x7FF;
                if (d < 5) {
                    low |= v << (11 * d);
                } else {
                    high |= v << (11 * (d - 5));
                }
            }
            return new Key(model, (cpuFree << 4) | devices, low, high);
        }
    }
}
