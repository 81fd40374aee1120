package io.kubeai.extender;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubeai.core.cluster.FitFailure;
import io.kubeai.core.cluster.NodeState;
import io.kubeai.core.cpu.CpuAllocPolicies;
import io.kubeai.core.placement.PlacementPolicy;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.extender.wire.ExtenderArgs;
import io.kubeai.extender.wire.ExtenderBindingArgs;
import io.kubeai.extender.wire.ExtenderBindingResult;
import io.kubeai.extender.wire.ExtenderFilterResult;
import io.kubeai.extender.wire.ExtenderPreemptionArgs;
import io.kubeai.extender.wire.ExtenderPreemptionResult;
import io.kubeai.extender.wire.HostPriority;
import io.kubeai.extender.wire.MetaPod;
import io.kubeai.extender.wire.MetaVictims;
import io.kubeai.extender.wire.Victims;
import io.kubeai.kube.CachedPod;
import io.kubeai.kube.ClusterCache;
import io.kubeai.kube.GangRef;
import io.kubeai.kube.InvalidObjectException;
import io.kubeai.kube.KubeAiNames;
import io.kubeai.kube.KubeConversions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the extender answers, independent of HTTP: filter, prioritize, bind and preempt against
 * the informer-fed {@link ClusterCache}, with core's fit checks and placement scorer.
 *
 * <ul>
 *   <li>filter: a pod planned by the admission controller ({@code kubeai.io/planned-node}) goes
 *       to its node only; if that node is not among the candidates it falls back to the fit
 *       checks. Other pods get core's checks for what kube-scheduler does not see (fractional
 *       GPUs and GPU devices, GPU models, elastic and other extended resources). A node that
 *       fails on capacity is in {@code FailedNodes} (preemption may help); on its GPU model, or
 *       because it is unknown, in {@code FailedAndUnresolvableNodes}. Reasons are short and
 *       shared ({@link FilterReasons}) so kube-scheduler can count them; the node's figures are
 *       logged at FINE.
 *   <li>prioritize: the policy's scores mapped linearly onto 0..10 over the candidates.
 *   <li>bind: picks the GPU devices (and a pinned pod's CPUs, {@link CpuPinningExtension}), writes
 *       them (and nothing else) as annotations, creates
 *       the Binding, and assumes the pod in the cache; on failure the assumption is forgotten
 *       and the error returned in {@code Error}.
 *   <li>preempt: keeps a node only if every gang it would break is evicted whole on that node.
 * </ul>
 *
 * Thread-safe: decisions read the cache under its read lock; the policy is created per call.
 */
public final class ExtenderService {
    private static final Logger LOG = Logger.getLogger(ExtenderService.class.getName());
    private final ClusterCache cache;
    private final KubernetesClient client;
    private final Supplier<PlacementPolicy> policies;
    /** NUMA fit, score and cpuset for pods with kubeai.io/cpu-pinning (docs/cpu-pinning.md). */
    private final CpuPinningExtension cpuPinning;

    public ExtenderService(ClusterCache cache, KubernetesClient client, Supplier<PlacementPolicy> policies) {
        this.cache = cache;
        this.client = client;
        this.policies = policies;
        this.cpuPinning = new CpuPinningExtension(cache.cpuPinning(), CpuAllocPolicies.DEFAULT);
    }

    public ClusterCache cache() {
        return cache;
    }

    public ExtenderFilterResult filter(ExtenderArgs args) {
        if (args == null || args.pod() == null) {
            return ExtenderFilterResult.error("the request has no Pod");
        }
        boolean byName = args.nodeNames() != null;
        List<String> candidates = candidates(args);
        if (candidates == null) {
            return ExtenderFilterResult.error("the request has neither NodeNames nor Nodes");
        }
        PodRequest request;
        try {
            request = KubeConversions.request(args.pod());
        } catch (InvalidObjectException e) {
            return ExtenderFilterResult.error(e.getMessage());
        }
        String pinningError = cpuPinning.podError(args.pod());
        if (pinningError != null) {
            return ExtenderFilterResult.error(pinningError);
        }
        String planned = annotation(args.pod(), KubeAiNames.PLANNED_NODE);
        String podKey = KubeConversions.key(args.pod());
        Map<String, String> failed = new LinkedHashMap<>();
        Map<String, String> unresolvable = new LinkedHashMap<>();
        boolean detail = LOG.isLoggable(Level.FINE);
        List<String> passing = cache.read(state -> {
            List<String> ok = new ArrayList<>(candidates.size());
            boolean plannedAmongCandidates = planned != null && candidates.contains(planned);
            for (String name : candidates) {
                if (plannedAmongCandidates && !name.equals(planned)) {
                    unresolvable.put(name, FilterReasons.NOT_PLANNED);
                    continue;
                }
                Optional<NodeState> node = state.node(name);
                if (node.isEmpty()) {
                    unresolvable.put(name, FilterReasons.NOT_IN_CACHE);
                    continue;
                }
                // A planned pod's reservation already holds its share of the planned node.
                boolean reserved = name.equals(planned) && state.placement(podKey)
                        .filter(pl -> pl.nodeIndex() == node.get().index()).isPresent();
                // One allocation-free check per node; the short reason is shared by every node failing alike.
                FitFailure failure = reserved ? null : node.get().failure(request);
                if (failure == null) {
                    ok.add(name);
                    continue;
                }
                if (detail) {
                    LOG.log(Level.FINE, "filter {0}: {1}", new Object[] {podKey, node.get().fit(request).reason()});
                }
                if (failure == FitFailure.GPU_MODEL) {
                    unresolvable.put(name, FilterReasons.of(failure, node.get(), request));
                } else {
                    failed.put(name, FilterReasons.of(failure, node.get(), request));
                }
            }
            return ok;
        });
        // CPU pinning: of those, the nodes where a pinned pod gets its CPUs.
        passing = cpuPinning.filter(args.pod(), passing, failed, unresolvable);
        if (byName) {
            return new ExtenderFilterResult(null, passing, failed, unresolvable, null);
        }
        List<Node> kept = new ArrayList<>(passing.size());
        java.util.Set<String> pass = new java.util.HashSet<>(passing);
        for (Node n : args.nodes().getItems()) {
            if (n.getMetadata() != null && pass.contains(n.getMetadata().getName())) {
                kept.add(n);
            }
        }
        NodeList list = new NodeList();
        list.setItems(kept);
        return new ExtenderFilterResult(list, null, failed, unresolvable, null);
    }

    /** Scores 0..10 for each candidate; nodes the pod does not fit score 0. */
    public List<HostPriority> prioritize(ExtenderArgs args) {
        if (args == null || args.pod() == null) {
            throw new BadRequestException("the request has no Pod");
        }
        List<String> candidates = candidates(args);
        if (candidates == null) {
            throw new BadRequestException("the request has neither NodeNames nor Nodes");
        }
        PodRequest request;
        try {
            request = KubeConversions.request(args.pod());
        } catch (InvalidObjectException e) {
            throw new BadRequestException(e.getMessage());
        }
        PlacementPolicy policy = policies.get();
        List<HostPriority> scores = cache.read(state -> {
            long[] raw = new long[candidates.size()];
            boolean[] fits = new boolean[candidates.size()];
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (int i = 0; i < raw.length; i++) {
                Optional<NodeState> n = state.node(candidates.get(i));
                if (n.isPresent() && n.get().fits(request)) {
                    fits[i] = true;
                    raw[i] = policy.score(n.get(), request);
                    min = Math.min(min, raw[i]);
                    max = Math.max(max, raw[i]);
                }
            }
            List<HostPriority> out = new ArrayList<>(raw.length);
            for (int i = 0; i < raw.length; i++) {
                long s = 0;
                if (fits[i]) {
                    s = max == min ? HostPriority.MAX_SCORE : (raw[i] - min) * HostPriority.MAX_SCORE / (max - min);
                }
                out.add(new HostPriority(candidates.get(i), s));
            }
            return out;
        });
        // CPU pinning: a pinned pod is scored by its NUMA fit.
        return cpuPinning.prioritize(args.pod(), scores);
    }

    public ExtenderBindingResult bind(ExtenderBindingArgs args) {
        if (args == null || blank(args.podName()) || blank(args.node())) {
            return new ExtenderBindingResult("the request needs PodName, PodNamespace and Node");
        }
        String ns = blank(args.podNamespace()) ? "default" : args.podNamespace();
        String key = ns + "/" + args.podName();
        Optional<CachedPod> pod = cache.pod(key);
        if (pod.isEmpty()) {
            return new ExtenderBindingResult("pod " + key + " is not in the extender's cache");
        }
        if (!blank(args.podUid()) && !args.podUid().equals(pod.get().uid())) {
            return new ExtenderBindingResult("pod " + key + " has UID " + pod.get().uid()
                    + ", not " + args.podUid() + ": it was recreated");
        }
        PodRequest request = pod.get().request();
        PlacementPolicy policy = policies.get();
        Integer devices = cache.read(state -> {
            Optional<NodeState> node = state.node(args.node());
            if (node.isEmpty()) {
                return null;
            }
            // A planned pod binds where its reservation already holds its share, on the planned devices.
            Optional<io.kubeai.core.cluster.Placement> held = state.placement(key)
                    .filter(pl -> pl.nodeIndex() == node.get().index());
            if (held.isPresent()) {
                return held.get().gpuDevices();
            }
            return node.get().fits(request)
                    ? policy.selectDevices(node.get(), request, new SplittableRandom(key.hashCode())) : null;
        });
        if (devices == null) {
            return new ExtenderBindingResult("pod " + key + " no longer fits node " + args.node());
        }
        // CPU pinning: choose and hold a pinned pod's CPUs (forgotten with the assumption on failure).
        CpuPinningExtension.Reservation cpus = cpuPinning.reserve(key, pod.get(), args.node());
        if (cpus.error() != null) {
            return new ExtenderBindingResult(cpus.error());
        }
        cache.assume(key, args.node(), request, devices);
        try {
            if (request.wantsGpu() || cpus.cpuset() != null) {
                client.pods().inNamespace(ns).withName(args.podName()).edit(p -> {
                    if (p.getMetadata().getAnnotations() == null) {
                        p.getMetadata().setAnnotations(new HashMap<>());
                    }
                    if (request.wantsGpu()) {
                        p.getMetadata().getAnnotations().put(KubeAiNames.GPU_DEVICES, KubeConversions.gpuDevicesAnnotation(devices));
                    }
                    if (cpus.cpuset() != null) {
                        p.getMetadata().getAnnotations().put(KubeAiNames.CPUSET, cpus.cpuset());
                    }
                    return p;
                });
            }
            Binding binding = new BindingBuilder().withNewMetadata().withName(args.podName()).withNamespace(ns)
                    .withUid(args.podUid()).endMetadata()
                    .withNewTarget().withApiVersion("v1").withKind("Node").withName(args.node()).endTarget().build();
            String url = client.getMasterUrl().toString().replaceAll("/$", "") + "/api/v1/namespaces/" + ns + "/pods/"
                    + args.podName() + "/binding";
            client.raw(url, "POST", binding);
            return ExtenderBindingResult.OK;
        } catch (KubernetesClientException e) {
            cache.forget(key);
            return new ExtenderBindingResult("binding pod " + key + " to node " + args.node() + " failed: "
                    + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage()));
        } catch (RuntimeException e) {
            cache.forget(key);
            return new ExtenderBindingResult("binding pod " + key + " to node " + args.node() + " failed: " + e);
        }
    }

    /**
     * Keeps the scheduler's victims on a node only when no gang is broken: every member of a
     * victim's gang must be a victim on that same node, otherwise the node is dropped.
     */
    public ExtenderPreemptionResult preempt(ExtenderPreemptionArgs args) {
        if (args == null || args.pod() == null) {
            throw new BadRequestException("the request has no Pod");
        }
        Map<String, List<String>> uidsByNode = new LinkedHashMap<>();
        if (args.nodeNameToMetaVictims() != null) {
            args.nodeNameToMetaVictims().forEach((node, v) -> uidsByNode.put(node,
                    v == null || v.pods() == null ? List.of() : v.pods().stream().map(MetaPod::uid).toList()));
        } else if (args.nodeNameToVictims() != null) {
            args.nodeNameToVictims().forEach((node, v) -> uidsByNode.put(node, uids(v)));
        }
        Map<String, CachedPod> byUid = new HashMap<>();
        Map<String, List<CachedPod>> gangMembers = new HashMap<>();
        cache.allPods().forEach(p -> {
            if (p.uid() != null) {
                byUid.put(p.uid(), p);
            }
            if (p.gang() != null && p.holdsNode() != null) {
                gangMembers.computeIfAbsent(p.gang().key(), k -> new ArrayList<>()).add(p);
            }
        });
        Map<String, MetaVictims> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : uidsByNode.entrySet()) {
            java.util.Set<String> victims = new java.util.LinkedHashSet<>(e.getValue());
            boolean keep = true;
            for (String uid : e.getValue()) {
                CachedPod v = byUid.get(uid);
                Optional<GangRef> g = v == null ? Optional.empty() : v.gangRef();
                if (g.isPresent()) {
                    for (CachedPod member : gangMembers.getOrDefault(g.get().key(), List.of())) {
                        if (!e.getKey().equals(member.nodeName())) {
                            keep = false; // a member elsewhere would be left running alone
                        } else {
                            victims.add(member.uid());
                        }
                    }
                }
            }
            if (keep) {
                out.put(e.getKey(), new MetaVictims(victims.stream().map(MetaPod::new).toList(), 0));
            }
        }
        return new ExtenderPreemptionResult(out);
    }

    private static List<String> uids(Victims v) {
        if (v == null || v.pods() == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Pod p : v.pods()) {
            if (p.getMetadata() != null && p.getMetadata().getUid() != null) {
                out.add(p.getMetadata().getUid());
            }
        }
        return out;
    }

    private static List<String> candidates(ExtenderArgs args) {
        if (args.nodeNames() != null) {
            return args.nodeNames();
        }
        if (args.nodes() != null) {
            List<String> names = new ArrayList<>();
            if (args.nodes().getItems() != null) {
                for (Node n : args.nodes().getItems()) {
                    if (n.getMetadata() != null && n.getMetadata().getName() != null) {
                        names.add(n.getMetadata().getName());
                    }
                }
            }
            return names;
        }
        return null;
    }

    private static String annotation(Pod p, String key) {
        return p.getMetadata() == null || p.getMetadata().getAnnotations() == null ? null
                : p.getMetadata().getAnnotations().get(key);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

}
