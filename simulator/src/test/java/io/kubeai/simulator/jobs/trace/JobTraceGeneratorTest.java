package io.kubeai.simulator.jobs.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.Node;
import io.kubeai.core.cluster.NodeState;
import io.kubeai.core.queue.QueueSpec;
import io.kubeai.core.queue.QueueTree;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.core.resource.ResourceLimits;
import io.kubeai.core.resource.ResourceList;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.trace.OpenbTrace;
import io.kubeai.simulator.trace.TracePod;
import io.kubeai.simulator.trace.TraceSource;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobTraceGeneratorTest {
    private static final GeneratorSpec SPEC = GeneratorSpec.defaults().withJobs(50_000).withSeed(1);
    private static List<JobSpec> jobs;

    @BeforeAll
    static void generateOnce() {
        jobs = JobTraceGenerator.generate(SPEC);
    }

    @Test
    void theSameSpecGivesTheSameJobs() {
        assertThat(JobTraceGenerator.generate(SPEC)).isEqualTo(jobs);
        assertThat(JobTraceGenerator.generate(SPEC.withSeed(2))).isNotEqualTo(jobs);
    }

    @Test
    void theSameSpecGivesTheSameJobsInEveryRun() {
        // a fingerprint: changes only when the generator or its data change, never from run to run
        List<JobSpec> small = JobTraceGenerator.generate(GeneratorSpec.defaults().withJobs(1000));
        assertThat(small).hasSize(1000);
        assertThat(small.get(0).id()).isEqualTo("job-000001");
        assertThat(small.get(0).submitSeconds()).isZero();
        long hash = 17;
        for (JobSpec j : small) {
            hash = hash * 31 + j.toString().hashCode();
        }
        assertThat(hash).isEqualTo(FINGERPRINT_1000);
    }

    /**
     * {@code GeneratorSpec.defaults().withJobs(1000)}: update when the generator changes on purpose.
     * (Last changed when {@code JobSpec} gained its timing fields, which changed its text only: the
     * jobs hashed without them gave the earlier -6052332927295632413.)
     */
    private static final long FINGERPRINT_1000 = 6992449237674430719L;

    @Test
    void jobsAreSortedNumberedAndValid() {
        assertThat(jobs).hasSize(50_000).isSortedAccordingTo(JobTraces.SUBMIT_ORDER);
        assertThat(jobs.get(49_999).id()).isEqualTo("job-050000");
        assertThat(jobs.stream().map(JobSpec::id).distinct().count()).isEqualTo(50_000);
        assertThatThrownBy(() -> jobs.add(jobs.get(0))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void durationsFollowPhilly() {
        long[] philly = CalibrationTraces.phillyDurations();
        long[] d = jobs.stream().mapToLong(JobSpec::durationSeconds).sorted().toArray();
        assertThat((double) quantile(d, 0.5)).isCloseTo(quantile(philly, 0.5), within(0.05 * quantile(philly, 0.5)));
        assertThat((double) quantile(d, 0.9)).isCloseTo(quantile(philly, 0.9), within(0.10 * quantile(philly, 0.9)));
        assertThat((double) quantile(d, 0.1)).isCloseTo(quantile(philly, 0.1), within(0.10 * quantile(philly, 0.1)));
        Set<Long> values = new HashSet<>();
        for (long v : philly) {
            values.add(v);
        }
        assertThat(Arrays.stream(d).allMatch(values::contains)).isTrue();
        assertThat(quantile(philly, 0.5)).isEqualTo(1186);
    }

    @Test
    void durationsCanBeClipped() {
        List<JobSpec> clipped = JobTraceGenerator.generate(SPEC.withJobs(5000).withMaxDurationSeconds(86_400));
        assertThat(clipped).allMatch(j -> j.durationSeconds() >= 1 && j.durationSeconds() <= 86_400);
        assertThat(clipped).anyMatch(j -> j.durationSeconds() == 86_400);
    }

    @Test
    void queueSharesFollowTheHeliosVcs() {
        List<JobTraceGenerator.Team> teams = JobTraceGenerator.teams(SPEC);
        assertThat(teams).extracting(JobTraceGenerator.Team::heliosGpus)
                .containsExactly(200, 160, 96, 88, 80, 72, 72, 64, 64, 64, 64, 64);
        assertThat(teams.get(0)).isEqualTo(new JobTraceGenerator.Team("team-01", "vcJsw", 200, 200 / 1088.0));
        Map<String, Long> perQueue = jobs.stream().collect(Collectors.groupingBy(JobSpec::queue, Collectors.counting()));
        assertThat(perQueue).hasSize(12);
        for (JobTraceGenerator.Team t : teams) {
            assertThat(perQueue.get(t.queue()) / (double) jobs.size()).as(t.queue()).isCloseTo(t.share(), within(0.01));
        }
    }

    @Test
    void teamsComeFromTheChosenDay() {
        List<JobTraceGenerator.Team> april = JobTraceGenerator.teams(SPEC.withHeliosDay(LocalDate.of(2020, 4, 1))
                .withQueues(18));
        assertThat(april).hasSize(18);
        assertThat(april.stream().mapToInt(JobTraceGenerator.Team::heliosGpus).sum()).isEqualTo(968);
        assertThat(april.get(0).heliosVc()).isEqualTo("vc6YE"); // 88 GPUs that day
        assertThatThrownBy(() -> JobTraceGenerator.teams(SPEC.withQueues(19)))
                .hasMessageContaining("only 18 Helios VCs hold GPUs");
        assertThatThrownBy(() -> JobTraceGenerator.teams(SPEC.withHeliosDay(LocalDate.of(2021, 1, 1))))
                .hasMessageContaining("covers 2020-04-01 to 2020-09-28");
    }

    @Test
    void tiersAndPriorities() {
        long prod = jobs.stream().filter(j -> j.tier().equals(JobSpec.TIER_PROD)).count();
        assertThat(prod / (double) jobs.size()).isCloseTo(0.3, within(0.01));
        assertThat(jobs).allMatch(j -> j.priority() == (j.tier().equals(JobSpec.TIER_PROD) ? 100 : 0));
        List<JobSpec> allDev = JobTraceGenerator.generate(SPEC.withJobs(2000).withProdShare(0).withPriorities(7, -3));
        assertThat(allDev).allMatch(j -> j.tier().equals(JobSpec.TIER_DEV) && j.priority() == -3);
    }

    @Test
    void podShapesFollowTheOpenbPodList() {
        List<TracePod> pods = OpenbTrace.readPods(TraceSource.bundled(OpenbTrace.DEFAULT_PODS));
        Set<PodRequest> source = pods.stream().map(TracePod::request).collect(Collectors.toSet());
        assertThat(jobs).allMatch(j -> source.contains(j.podRequest()));
        assertThat(share(jobs, j -> j.podRequest().sharesGpu()))
                .isCloseTo(pods.stream().filter(p -> p.request().sharesGpu()).count() / (double) pods.size(), within(0.01));
        assertThat(share(jobs, j -> !j.podRequest().wantsGpu()))
                .isCloseTo(pods.stream().filter(p -> !p.request().wantsGpu()).count() / (double) pods.size(), within(0.01));
        double cpuPerGpuJobs = jobs.stream().filter(j -> j.podRequest().wantsGpu())
                .mapToDouble(j -> j.podRequest().cpuMillis() * 1000.0 / j.podRequest().totalGpuMillis()).average().orElseThrow();
        double cpuPerGpuPods = pods.stream().filter(p -> p.request().wantsGpu())
                .mapToDouble(p -> p.request().cpuMillis() * 1000.0 / p.request().totalGpuMillis()).average().orElseThrow();
        assertThat(cpuPerGpuJobs).isCloseTo(cpuPerGpuPods, within(0.05 * cpuPerGpuPods));
    }

    @Test
    void onlyWholeGpuJobsRunAsGangs() {
        assertThat(jobs).filteredOn(j -> !j.podRequest().wantsGpu() || j.podRequest().sharesGpu())
                .allMatch(j -> j.pods() == 1);
        List<JobSpec> whole = jobs.stream().filter(j -> j.podRequest().wantsGpu() && !j.podRequest().sharesGpu()).toList();
        Map<Integer, Long> sizes = whole.stream().collect(Collectors.groupingBy(JobSpec::pods, Collectors.counting()));
        assertThat(sizes.keySet()).isSubsetOf(GeneratorSpec.DEFAULT_GANG_SIZES.keySet());
        for (Map.Entry<Integer, Double> e : GeneratorSpec.DEFAULT_GANG_SIZES.entrySet()) {
            assertThat(sizes.getOrDefault(e.getKey(), 0L) / (double) whole.size()).as("gangs of " + e.getKey())
                    .isCloseTo(e.getValue(), within(0.015));
        }
    }

    @Test
    void noJobTakesMoreThanItsShareOfASmallCluster() {
        List<JobSpec> small = JobTraceGenerator.generate(SPEC.withJobs(20_000).withClusterGpus(16));
        assertThat(small).allMatch(j -> j.pods() == 1 || j.pods() * j.podRequest().totalGpuMillis() <= 4_000);
        assertThat(small).anyMatch(j -> j.pods() == 4);
    }

    @ParameterizedTest(name = "load {0} on {1} GPUs")
    @CsvSource({"0.8, 6212", "1.3, 512", "0.5, 20000", "0.95, 64"})
    void arrivalsReachTheTargetLoad(double target, int gpus) {
        List<JobSpec> t = JobTraceGenerator.generate(SPEC.withJobs(20_000).withTargetLoad(target).withClusterGpus(gpus));
        assertThat(JobTraceGenerator.offeredLoad(t, gpus)).isCloseTo(target, within(0.04 * target));
        double work = t.stream().mapToDouble(JobSpec::gpuSeconds).sum();
        long horizon = t.get(t.size() - 1).submitSeconds();
        assertThat(work / (gpus * (double) horizon)).isCloseTo(target, within(0.04 * target));
    }

    @Test
    void arrivalsArePoisson() {
        long[] submit = jobs.stream().mapToLong(JobSpec::submitSeconds).toArray();
        double rate = (submit.length - 1) / (double) submit[submit.length - 1];
        // with whole-second times, the share of gaps of at least g seconds is about exp(−rate·g)
        for (int g : new int[] {2, 5, 10}) {
            long atLeast = 0;
            for (int i = 1; i < submit.length; i++) {
                if (submit[i] - submit[i - 1] >= g) {
                    atLeast++;
                }
            }
            double expected = Math.exp(-rate * (g - 0.5)); // half a second of rounding on average
            assertThat(atLeast / (double) (submit.length - 1)).as("gaps ≥ " + g + " s").isCloseTo(expected, within(0.02));
        }
    }

    @Test
    void everyGeneratedPodFitsANodeOfAGeneratedCluster() {
        List<Node> nodes = ClusterShapes.nodes(2000, 3);
        for (String list : List.of("openb_pod_list_default", "openb_pod_list_gpuspec25", "openb_pod_list_multigpu40",
                "openb_pod_list_cpu300")) {
            List<JobSpec> t = JobTraceGenerator.generate(SPEC.withJobs(20_000).withPodList(list));
            Set<PodRequest> shapes = t.stream().map(JobSpec::podRequest).collect(Collectors.toSet());
            ClusterState cluster = new ClusterState(nodes);
            for (PodRequest r : shapes) {
                assertThat(cluster.nodes().stream().anyMatch(n -> n.fits(r))).as(list + ": " + r).isTrue();
            }
        }
    }

    @Test
    void podsThatFitNoOpenbNodeAreLeftOut() {
        List<PodRequest> shapes = JobTraceGenerator.podShapesOf("openb_pod_list_gpuspec25");
        List<TracePod> pods = OpenbTrace.readPods(TraceSource.bundled(OpenbTrace.BUNDLED_DIR + "openb_pod_list_gpuspec25.csv"));
        assertThat(shapes).hasSize(pods.size() - 1); // one pod asks for a model no node of its size has
        ClusterState openb = new ClusterState(OpenbTrace.readNodes(TraceSource.bundled(OpenbTrace.DEFAULT_NODES)));
        assertThat(shapes).allMatch(r -> openb.nodes().stream().anyMatch(n -> n.fits(r)));
        assertThat(JobTraceGenerator.podShapesOf("openb_pod_list_default")).hasSize(8152);
    }

    @Test
    void queuesSplitTheClusterByTeamShares() {
        List<Node> nodes = ClusterShapes.nodes(2000, 3);
        ResourceList capacity = ClusterShapes.capacity(nodes);
        List<QueueSpec> queues = JobTraceGenerator.queuesFor(SPEC, capacity);
        assertThat(queues).extracting(QueueSpec::name).containsExactlyElementsOf(
                JobTraceGenerator.teams(SPEC).stream().map(JobTraceGenerator.Team::queue).toList());
        assertThat(queues).extracting(QueueSpec::weight).containsExactly(25, 20, 12, 11, 10, 9, 9, 8, 8, 8, 8, 8);
        ResourceList sum = queues.stream().map(QueueSpec::min).reduce(ResourceList.EMPTY, ResourceList::plus);
        assertThat(sum).isEqualTo(capacity);
        long gpus = capacity.get(ResourceList.GPU);
        for (int i = 0; i < queues.size(); i++) {
            QueueSpec q = queues.get(i);
            double share = JobTraceGenerator.teams(SPEC).get(i).share();
            assertThat((double) q.min().get(ResourceList.GPU)).isCloseTo(share * gpus, within(1.0));
            assertThat((double) q.min().get(ResourceList.CPU))
                    .isCloseTo(share * capacity.get(ResourceList.CPU), within(1.0));
            assertThat(q.parent()).isNull();
            assertThat(q.max()).isEqualTo(ResourceLimits.UNLIMITED);
            assertThat(q.borrowingLimit()).isEqualTo(ResourceLimits.UNLIMITED);
            assertThat(q.lendingLimit()).isEqualTo(ResourceLimits.UNLIMITED);
        }
        assertThat(QueueTree.of(queues).size()).isEqualTo(12);
        Set<String> names = queues.stream().map(QueueSpec::name).collect(Collectors.toSet());
        assertThat(jobs).allMatch(j -> names.contains(j.queue()));
    }

    @Test
    void apportionAddsUpExactly() {
        assertThat(JobTraceGenerator.apportion(10, new long[] {1, 1, 1})).containsExactly(4, 3, 3);
        assertThat(JobTraceGenerator.apportion(Long.MAX_VALUE / 2, new long[] {200, 160, 7}))
                .satisfies(p -> assertThat(Arrays.stream(p).sum()).isEqualTo(Long.MAX_VALUE / 2));
        assertThat(JobTraceGenerator.apportion(0, new long[] {3, 4})).containsExactly(0, 0);
    }

    @Test
    void specsAreChecked() {
        GeneratorSpec d = GeneratorSpec.defaults();
        assertThatThrownBy(() -> d.withJobs(0)).hasMessageContaining("jobs must be at least 1");
        assertThatThrownBy(() -> d.withClusterGpus(0)).hasMessageContaining("clusterGpus");
        assertThatThrownBy(() -> d.withTargetLoad(Double.NaN)).hasMessageContaining("targetLoad");
        assertThatThrownBy(() -> d.withProdShare(1.5)).hasMessageContaining("prodShare");
        assertThatThrownBy(() -> d.withMaxDurationSeconds(-1)).hasMessageContaining("maxDurationSeconds");
        assertThatThrownBy(() -> d.withPodList("nope")).hasMessageContaining("podList must be one of");
        assertThatThrownBy(() -> d.withGangSizeWeights(Map.of(0, 1.0))).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> d.withGangSizeWeights(Map.of(2, 0.0))).hasMessageContaining("positive weight");
        assertThatThrownBy(() -> d.withMaxJobGpuShare(0)).hasMessageContaining("maxJobGpuShare");
        Map<Integer, Double> m = new HashMap<>(Map.of(4, 1.0, 2, 1.0));
        assertThat(d.withGangSizeWeights(m).gangSizeWeights().keySet()).containsExactly(2, 4);
        assertThat(d.withGangSizeWeights(m)).isEqualTo(d.withGangSizeWeights(Map.of(2, 1.0, 4, 1.0)));
    }

    private static double share(List<JobSpec> js, java.util.function.Predicate<JobSpec> p) {
        return js.stream().filter(p).count() / (double) js.size();
    }

    private static long quantile(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }
}
