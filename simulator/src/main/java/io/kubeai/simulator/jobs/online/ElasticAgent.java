package io.kubeai.simulator.jobs.online;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.Node;
import io.kubeai.core.cluster.Placement;
import io.kubeai.core.config.ElasticPolicy;
import io.kubeai.core.elastic.ElasticAmounts;
import io.kubeai.core.elastic.ElasticCycle;
import io.kubeai.core.elastic.ElasticNodeState;
import io.kubeai.core.elastic.ElasticPod;
import io.kubeai.core.elastic.NodeUsage;
import io.kubeai.core.elastic.PodUsage;
import io.kubeai.core.elastic.ReclaimPlanner;
import io.kubeai.core.elastic.Usage;
import io.kubeai.core.resource.ExtendedResources;
import io.kubeai.core.resource.GpuModels;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.simulator.jobs.sim.AgentContext;
import io.kubeai.simulator.jobs.sim.ClusterAgent;
import io.kubeai.simulator.jobs.sim.SimJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Online services and, with overcommit on, the elastic-capacity controller, as one
 * {@link ClusterAgent} acting every {@code ElasticPolicy.intervalSeconds}:
 *
 * <ol>
 *   <li>at the first call, one online pod per node ({@code online/<node>}) reserves what
 *       {@link OnlineLoad} says; its usage follows the day from then on;
 *   <li>each interval, with overcommit on, every node's usage (the online pod as the load says,
 *       job pods at their requests, the system at zero) goes through core's {@link ElasticCycle}
 *       ({@code ElasticFormula}, {@code Smoothing}, {@code ReclaimPlanner}) exactly as the live
 *       publisher runs it; the jobs of the pods it plans to evict are evicted (at most the
 *       policy's budget per interval) and re-queued;
 *   <li>the published figure becomes the node's elastic allocatable: nodes carry the elastic
 *       resources at their full CPU and memory ({@link #withElasticAllocatable}) and a pod
 *       {@code elastic-withheld/<node>} holds back the difference, never more than is free (a
 *       figure below what elastic pods hold is the reclaimer's to close, as live).
 * </ol>
 *
 * It keeps a sample per interval (online usage, regular and elastic CPU, GPU allocation) and
 * what eviction cost. O(nodes + pods) per interval. One instance serves one run.
 */
public final class ElasticAgent implements ClusterAgent {
    public static final String ONLINE_PREFIX = "online/";
    public static final String WITHHELD_PREFIX = "elastic-withheld/";
    private static final String WORKER = "/worker-";

    /**
     * One interval's cluster, summed over nodes; CPU in milli-cores.
     *
     * @param onlineUsedCpu what online services use
     * @param regularJobCpu what job pods request of regular CPU
     * @param elasticHeldCpu what elastic pods request of elastic CPU
     * @param elasticPublishedCpu the elastic CPU published (allocatable)
     */
    public record Sample(long seconds, long cpuCapacity, long onlineReservedCpu, long onlineUsedCpu,
            long regularJobCpu, long elasticHeldCpu, long elasticPublishedCpu, long gpuAllocatedMillis,
            long gpuTotalMillis) {
    }

    /**
     * What the run cost and how close it came to the nodes' limits.
     *
     * @param evictions jobs evicted to take elastic capacity back
     * @param maxEvictionsInOneInterval the most in one interval (at most the policy's budget)
     * @param lostGpuSeconds GPU-seconds of work lost by those evictions
     * @param lostCpuSeconds core-seconds of work lost by those evictions
     * @param maxPhysicalCpuShare the highest, over nodes and intervals, of (online use + regular
     *     job requests + elastic job requests) / CPU capacity, after the interval's evictions
     * @param maxPhysicalMemoryShare the same for memory
     */
    public record Stats(long evictions, int maxEvictionsInOneInterval, double lostGpuSeconds, double lostCpuSeconds,
            double maxPhysicalCpuShare, double maxPhysicalMemoryShare, List<Sample> samples) {
        public Stats {
            samples = List.copyOf(samples);
        }
    }

    private final OnlineLoad load;
    private final ElasticPolicy policy;
    private final boolean overcommit;
    private Map<String, ElasticNodeState> states = new HashMap<>();
    private ElasticAmounts[] published;
    private boolean started;
    private long evictions;
    private int maxEvictionsInOneInterval;
    private double lostGpuSeconds;
    private double lostCpuSeconds;
    private double maxCpuShare;
    private double maxMemoryShare;
    private final List<Sample> samples = new ArrayList<>();

    /**
     * @param policy the elastic section; its interval is this agent's, and with {@code overcommit}
     *     its thresholds, smoothing, reclaim budget and resource names are used
     */
    public ElasticAgent(OnlineLoad load, ElasticPolicy policy, boolean overcommit) {
        this.load = Objects.requireNonNull(load, "load");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.overcommit = overcommit;
    }

    /** The factory of fresh agents for {@code JobSimulation}'s runs. */
    public static ClusterAgent.Factory factory(OnlineLoad load, ElasticPolicy policy, boolean overcommit) {
        return () -> new ElasticAgent(load, policy, overcommit);
    }

    /** The nodes carrying the elastic resources at their full CPU and memory, for the withheld pods to hold back. */
    public static List<Node> withElasticAllocatable(List<Node> nodes, ElasticPolicy.ResourceNames names) {
        List<Node> out = new ArrayList<>(nodes.size());
        for (Node n : nodes) {
            Map<String, Long> ext = new HashMap<>();
            for (int i = 0; i < n.extended().size(); i++) {
                ext.put(n.extended().name(i), n.extended().quantity(i));
            }
            ext.put(names.cpu(), n.cpuMillis());
            ext.put(names.memory(), n.memoryBytes());
            out.add(new Node(n.name(), n.cpuMillis(), n.memoryBytes(), n.gpuCount(), n.gpuModel(),
                    ExtendedResources.of(ext)));
        }
        return out;
    }

    @Override
    public long intervalSeconds() {
        return policy.intervalSeconds();
    }

    @Override
    public void act(AgentContext ctx) {
        List<Node> nodes = ctx.nodes();
        if (!started) {
            start(ctx, nodes);
        }
        long now = ctx.now();
        Instant at = Instant.ofEpochSecond(now);

        // 1. Each node's pods and usage, as metrics-server would report them now.
        List<List<PodUsage>> pods = new ArrayList<>(nodes.size());
        for (int n = 0; n < nodes.size(); n++) {
            pods.add(new ArrayList<>());
        }
        List<ElasticPod> elasticPods = new ArrayList<>();
        Map<String, String> jobOfPod = new HashMap<>();
        long[] onlineCpu = new long[nodes.size()];
        long[] onlineMemory = new long[nodes.size()];
        for (int n = 0; n < nodes.size(); n++) {
            onlineCpu[n] = load.used(n, nodes.get(n).cpuMillis(), now);
            onlineMemory[n] = load.used(n, nodes.get(n).memoryBytes(), now);
            long reqCpu = load.reserved(nodes.get(n).cpuMillis());
            long reqMemory = load.reserved(nodes.get(n).memoryBytes());
            if (reqCpu > 0 || reqMemory > 0) {
                pods.get(n).add(new PodUsage(ONLINE_PREFIX + nodes.get(n).name(), false, new Usage(reqCpu, reqMemory),
                        new Usage(onlineCpu[n], onlineMemory[n]), at));
            }
        }
        for (Placement p : ctx.cluster().placements()) {
            String id = p.podId();
            if (id.startsWith(ONLINE_PREFIX) || id.startsWith(WITHHELD_PREFIX)) {
                continue;
            }
            long elasticCpu = p.request().extended().get(policy.resources().cpu());
            long elasticMemory = p.request().extended().get(policy.resources().memory());
            boolean elastic = elasticCpu > 0 || elasticMemory > 0;
            Usage use = elastic ? new Usage(elasticCpu, elasticMemory)
                    : new Usage(p.request().cpuMillis(), p.request().memoryBytes());
            pods.get(p.nodeIndex()).add(new PodUsage(id, elastic, use, use, at));
            if (elastic) {
                String jobId = jobOf(id);
                jobOfPod.put(id, jobId);
                SimJob job = ctx.job(jobId).orElseThrow(() -> new IllegalStateException("pod " + id + " of no job"));
                elasticPods.add(new ElasticPod(id, nodes.get(p.nodeIndex()).name(), job.priority(),
                        job.startSeconds() < 0 ? null : Instant.ofEpochSecond(job.startSeconds()),
                        new ElasticAmounts(elasticCpu, elasticMemory, 0)));
            }
        }

        if (overcommit) {
            // 2. Core's elastic interval: targets, smoothing, reclaim plan.
            List<ElasticCycle.NodeInput> inputs = new ArrayList<>(nodes.size());
            for (int n = 0; n < nodes.size(); n++) {
                Node node = nodes.get(n);
                Usage capacity = new Usage(node.cpuMillis(), node.memoryBytes());
                Usage used = Usage.ZERO;
                for (PodUsage pu : pods.get(n)) {
                    used = used.plus(pu.usage());
                }
                inputs.add(new ElasticCycle.NodeInput(new NodeUsage(node.name(), capacity, capacity, used, at,
                        pods.get(n)), null, node.gpuCount(), published[n]));
            }
            ElasticCycle.Result result = ElasticCycle.run(policy, inputs, states, elasticPods, at);
            states = result.states();

            // 3. Evict what the reclaimer chose (the plan is within its budget), a job once.
            Set<String> evicted = new LinkedHashSet<>();
            for (ReclaimPlanner.Eviction e : result.reclaim().evictions()) {
                evicted.add(jobOfPod.get(e.podKey()));
            }
            for (String jobId : evicted) {
                SimJob job = ctx.job(jobId).orElseThrow();
                double ran = job.startSeconds() < 0 ? 0 : now - job.startSeconds();
                lostGpuSeconds += job.gpuMillis() / 1000.0 * ran;
                lostCpuSeconds += job.pods() * (job.podRequest().cpuMillis()
                        + job.podRequest().extended().get(policy.resources().cpu())) / 1000.0 * ran;
                ctx.evict(job, "elastic capacity taken back");
            }
            evictions += evicted.size();
            maxEvictionsInOneInterval = Math.max(maxEvictionsInOneInterval, evicted.size());

            // 4. Publish: the withheld pod holds back what is not lent, as far as it is free.
            boolean grew = false;
            for (int n = 0; n < nodes.size(); n++) {
                ElasticAmounts next = result.nodes().get(n).publish();
                grew |= next.cpuMillis() > published[n].cpuMillis() || next.memoryBytes() > published[n].memoryBytes();
                published[n] = next;
                withhold(ctx, n, nodes.get(n), next);
            }
            if (grew) {
                ctx.requestCycle();
            }
        }
        sample(ctx, nodes, onlineCpu, onlineMemory);
    }

    private void start(AgentContext ctx, List<Node> nodes) {
        started = true;
        published = new ElasticAmounts[nodes.size()];
        for (int n = 0; n < nodes.size(); n++) {
            Node node = nodes.get(n);
            published[n] = ElasticAmounts.ZERO;
            long cpu = load.reserved(node.cpuMillis());
            long memory = load.reserved(node.memoryBytes());
            if (cpu > 0 || memory > 0) {
                ctx.reserve(ONLINE_PREFIX + node.name(), PodRequest.cpuOnly(cpu, memory), n);
            }
            if (overcommit) {
                if (node.extended().indexOf(policy.resources().cpu()) < 0
                        || node.extended().indexOf(policy.resources().memory()) < 0) {
                    throw new IllegalArgumentException("node " + node.name() + " carries no " + policy.resources().cpu()
                            + " and " + policy.resources().memory() + ": give the simulation withElasticAllocatable(nodes)");
                }
                withhold(ctx, n, node, ElasticAmounts.ZERO);
            }
        }
    }

    private void withhold(AgentContext ctx, int n, Node node, ElasticAmounts publish) {
        String id = WITHHELD_PREFIX + node.name();
        ClusterState cluster = ctx.cluster();
        if (cluster.placement(id).isPresent()) {
            ctx.release(id);
        }
        String cpuName = policy.resources().cpu();
        String memoryName = policy.resources().memory();
        int ci = node.extended().indexOf(cpuName);
        int mi = node.extended().indexOf(memoryName);
        long freeCpu = cluster.node(n).extendedFree(cpuName);
        long freeMemory = cluster.node(n).extendedFree(memoryName);
        long cpu = Math.min(freeCpu, Math.max(0, node.extended().quantity(ci) - publish.cpuMillis()));
        long memory = Math.min(freeMemory, Math.max(0, node.extended().quantity(mi) - publish.memoryBytes()));
        if (cpu > 0 || memory > 0) {
            ctx.reserve(id, new PodRequest(0, 0, 0, 0, GpuModels.ANY,
                    ExtendedResources.of(Map.of(cpuName, cpu, memoryName, memory))), n);
        }
    }

    private void sample(AgentContext ctx, List<Node> nodes, long[] onlineCpu, long[] onlineMemory) {
        long capacity = 0;
        long reserved = 0;
        long online = 0;
        long[] regularCpu = new long[nodes.size()];
        long[] regularMemory = new long[nodes.size()];
        long[] elasticCpu = new long[nodes.size()];
        long[] elasticMemory = new long[nodes.size()];
        for (Placement p : ctx.cluster().placements()) {
            if (p.podId().startsWith(ONLINE_PREFIX) || p.podId().startsWith(WITHHELD_PREFIX)) {
                continue;
            }
            regularCpu[p.nodeIndex()] += p.request().cpuMillis();
            regularMemory[p.nodeIndex()] += p.request().memoryBytes();
            elasticCpu[p.nodeIndex()] += p.request().extended().get(policy.resources().cpu());
            elasticMemory[p.nodeIndex()] += p.request().extended().get(policy.resources().memory());
        }
        long regular = 0;
        long elastic = 0;
        long lent = 0;
        for (int n = 0; n < nodes.size(); n++) {
            Node node = nodes.get(n);
            capacity += node.cpuMillis();
            reserved += load.reserved(node.cpuMillis());
            online += onlineCpu[n];
            regular += regularCpu[n];
            elastic += elasticCpu[n];
            lent += published == null || !overcommit ? 0 : published[n].cpuMillis();
            if (node.cpuMillis() > 0) {
                maxCpuShare = Math.max(maxCpuShare, (onlineCpu[n] + regularCpu[n] + elasticCpu[n]) / (double) node.cpuMillis());
            }
            if (node.memoryBytes() > 0) {
                maxMemoryShare = Math.max(maxMemoryShare,
                        (onlineMemory[n] + regularMemory[n] + elasticMemory[n]) / (double) node.memoryBytes());
            }
        }
        ClusterState c = ctx.cluster();
        samples.add(new Sample(ctx.now(), capacity, reserved, online, regular, elastic, lent, c.allocatedGpuMillis(),
                c.totalGpuMillis()));
    }

    private static String jobOf(String podId) {
        int i = podId.lastIndexOf(WORKER);
        return i < 0 ? podId : podId.substring(0, i);
    }

    public Stats stats() {
        return new Stats(evictions, maxEvictionsInOneInterval, lostGpuSeconds, lostCpuSeconds, maxCpuShare,
                maxMemoryShare, samples);
    }
}
