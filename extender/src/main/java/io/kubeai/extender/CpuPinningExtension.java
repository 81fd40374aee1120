package io.kubeai.extender;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubeai.core.cpu.CpuAllocPolicy;
import io.kubeai.core.cpu.CpuAllocator;
import io.kubeai.core.cpu.CpuFit;
import io.kubeai.core.cpu.CpuNumaScore;
import io.kubeai.core.cpu.CpuRequest;
import io.kubeai.core.cpu.NodeCpuState;
import io.kubeai.core.cpu.NumaAffinity;
import io.kubeai.kube.CachedPod;
import io.kubeai.kube.CpuConversions;
import io.kubeai.kube.CpuPinningCache;
import io.kubeai.kube.InvalidObjectException;
import io.kubeai.kube.PodCpuPinning;
import io.kubeai.extender.wire.HostPriority;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The extender's CPU pinning, for pods with {@code kubeai.io/cpu-pinning: exclusive|numa}: NUMA
 * fit in filter, so that kubelet's Topology Manager does not reject the pod after scheduling
 * ({@code TopologyAffinityError}); a NUMA score in prioritize; the cpuset chosen and held at bind.
 * {@link ExtenderService} calls it from each verb; unpinned pods pass through untouched.
 *
 * <ul>
 *   <li>filter: a node keeps a pinned pod when core's {@link CpuAllocator} finds its CPUs
 *       there now; where NodeResourceTopology says kubelet runs {@code single-numa-node}, an
 *       {@code exclusive} pod is held to one NUMA node as a {@code numa} one is. Otherwise the node is in {@code FailedNodes} when the CPUs would be there on
 *       the idle node (evicting pinned pods may help), in {@code FailedAndUnresolvableNodes} when
 *       not even then (the request is larger than any NUMA node, the node publishes no CPU
 *       topology), each with a short shared reason ({@link FilterReasons}); the allocator's
 *       sentence for the node is logged at FINE. A pinned pod kubelet would not pin (not
 *       Guaranteed, no whole CPUs) is unresolvable everywhere, saying why.
 *   <li>prioritize: for a pinned pod, {@link CpuNumaScore} (one NUMA node first, then the tightest
 *       fit) mapped onto 0..10 over the candidates, in place of the placement policy's score.
 *   <li>bind: chooses the CPUs and holds them in {@link CpuPinningCache} atomically, before the
 *       Binding; {@link ExtenderService} writes them as {@code kubeai.io/cpuset}.
 * </ul>
 *
 * Thread-safe: reads and reservations take the pinning cache's lock. O(candidates × CPUs).
 */
public final class CpuPinningExtension {
    private static final Logger LOG = Logger.getLogger(CpuPinningExtension.class.getName());
    private final CpuPinningCache cpus;
    private final CpuAllocPolicy policy;

    /** The CPUs a bind holds for a pod: a cpuset to write, an error, or neither (unpinned pod). */
    public record Reservation(String cpuset, String error) {
        static final Reservation NONE = new Reservation(null, null);
    }

    public CpuPinningExtension(CpuPinningCache cpus, CpuAllocPolicy policy) {
        this.cpus = cpus;
        this.policy = policy;
    }

    /** Why the pod's pinning cannot be read, or null. */
    public String podError(Pod pod) {
        try {
            CpuConversions.pinning(pod);
            return null;
        } catch (InvalidObjectException e) {
            return e.getMessage();
        }
    }

    /**
     * Of the nodes that passed every other check, those where a pinned pod gets its CPUs; the
     * others go into {@code failed} or {@code unresolvable} with a reason.
     */
    public List<String> filter(Pod pod, List<String> passing, Map<String, String> failed,
            Map<String, String> unresolvable) {
        PodCpuPinning pinning = pinningOrNone(pod);
        if (!pinning.pinned() || passing.isEmpty()) {
            return passing;
        }
        if (pinning.notPinnable() != null) {
            passing.forEach(n -> unresolvable.put(n, pinning.notPinnable()));
            return List.of();
        }
        CpuRequest request = pinning.request();
        String podKey = pod.getMetadata() == null ? "?" : pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        boolean detail = LOG.isLoggable(Level.FINE);
        return cpus.read(view -> {
            List<String> ok = new ArrayList<>(passing.size());
            for (String name : passing) {
                Optional<NodeCpuState> node = view.cpus().node(name);
                if (node.isEmpty()) {
                    unresolvable.put(name, view.problems().containsKey(name) ? FilterReasons.BAD_CPU_TOPOLOGY
                            : FilterReasons.NO_CPU_TOPOLOGY);
                    if (detail) {
                        LOG.log(Level.FINE, "filter {0}: {1}", new Object[] {podKey, view.problem(name)});
                    }
                    continue;
                }
                CpuRequest here = forNode(request, view, name);
                CpuFit fit = node.get().allocate(here, policy);
                if (fit.fits()) {
                    ok.add(name);
                    continue;
                }
                String why = here == request ? "" : " (its kubelet's Topology Manager policy is single-numa-node)";
                CpuFit idle = CpuAllocator.allocate(node.get().topology(), node.get().availabilityWhenIdle(), here, policy);
                if (idle.fits()) {
                    failed.put(name, FilterReasons.PINNED_CPUS);
                } else {
                    unresolvable.put(name, FilterReasons.PINNED_CPUS_NEVER);
                }
                if (detail) {
                    LOG.log(Level.FINE, "filter {0}: node {1}: {2}{3}", new Object[] {podKey, name,
                            (idle.fits() ? fit : idle).reason(), why});
                }
            }
            return ok;
        });
    }

    /** For a pinned pod, the NUMA scores of the candidates on 0..10; otherwise {@code scores} unchanged. */
    public List<HostPriority> prioritize(Pod pod, List<HostPriority> scores) {
        PodCpuPinning pinning;
        try {
            pinning = CpuConversions.pinning(pod);
        } catch (InvalidObjectException e) {
            throw new BadRequestException(e.getMessage());
        }
        if (!pinning.pinned() || pinning.notPinnable() != null) {
            return scores;
        }
        CpuRequest request = pinning.request();
        long[] raw = cpus.read(view -> {
            long[] r = new long[scores.size()];
            for (int i = 0; i < r.length; i++) {
                Optional<NodeCpuState> node = view.cpus().node(scores.get(i).host());
                if (node.isEmpty()) {
                    r[i] = -1;
                    continue;
                }
                CpuRequest here = forNode(request, view, scores.get(i).host());
                CpuFit fit = node.get().allocate(here, policy);
                r[i] = fit.fits() ? CpuNumaScore.score(node.get().topology(), node.get().availability(), here, fit,
                        policy) : -1;
            }
            return r;
        });
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long r : raw) {
            if (r >= 0) {
                min = Math.min(min, r);
                max = Math.max(max, r);
            }
        }
        List<HostPriority> out = new ArrayList<>(raw.length);
        for (int i = 0; i < raw.length; i++) {
            long s = 0;
            if (raw[i] >= 0) {
                s = max == min ? HostPriority.MAX_SCORE : (raw[i] - min) * HostPriority.MAX_SCORE / (max - min);
            }
            out.add(new HostPriority(scores.get(i).host(), s));
        }
        return out;
    }

    /** Chooses and holds a pinned pod's CPUs on {@code node}; {@link Reservation#NONE} for an unpinned pod. */
    public Reservation reserve(String key, CachedPod pod, String node) {
        if (pod.pinningProblem() != null) {
            return new Reservation(null, pod.pinningProblem());
        }
        PodCpuPinning pinning = pod.pinning();
        if (pinning == null || !pinning.pinned()) {
            return Reservation.NONE;
        }
        if (pinning.notPinnable() != null) {
            return new Reservation(null, pinning.notPinnable());
        }
        CpuFit fit = cpus.reserve(key, node, pinning.request(), policy);
        if (!fit.fits()) {
            return new Reservation(null, "pod " + key + " cannot get its CPUs on node " + node
                    + ": " + fit.reason());
        }
        return new Reservation(fit.cpus().toString(), null);
    }

    /** An {@code exclusive} pod is bound to one NUMA node where kubelet would reject it otherwise. */
    private static CpuRequest forNode(CpuRequest request, CpuPinningCache.View view, String node) {
        if (request.numa() == NumaAffinity.PREFERRED && view.singleNumaNode(node)) {
            return new CpuRequest(request.cpus(), request.exclusivity(), NumaAffinity.REQUIRED);
        }
        return request;
    }

    private static PodCpuPinning pinningOrNone(Pod pod) {
        try {
            return CpuConversions.pinning(pod);
        } catch (InvalidObjectException e) {
            return new PodCpuPinning(io.kubeai.core.cpu.CpuPinningMode.NONE, 0, null);
        }
    }
}
