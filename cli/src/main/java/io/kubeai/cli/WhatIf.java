package io.kubeai.cli;

import io.kubeai.core.cycle.SchedulingCycle;
import io.kubeai.core.cycle.SchedulingState;
import io.kubeai.core.resource.ResourceList;
import io.kubeai.core.workload.Admission;
import io.kubeai.core.workload.Workload;
import io.kubeai.quota.AdmissionController;
import io.kubeai.quota.WorkloadDurations;
import io.kubeai.simulator.whatif.WhatIfReplay;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code kubeai what-if} without the command line: a controller snapshot and its durations
 * turned into a replay under one or two policies, and the report the command prints. Pure once
 * the snapshot is taken; O(replay) per policy.
 */
final class WhatIf {

    /** One policy to replay under: how the cycle decides, and the state it starts from (its queues). */
    record Policy(String description, SchedulingCycle cycle, SchedulingState start) {
    }

    /** A pending workload as the report shows it. */
    record Row(String workload, String queue, int pods, String gpus, long durationSeconds, String durationSource,
            Fate current, Fate proposed) {
    }

    /** One workload's fate under one policy. Times are seconds after the snapshot; null where it did not happen. */
    record Fate(String status, Long admittedAfterSeconds, Long endsAfterSeconds, int evictions, String reason) {
        static Fate of(WhatIfReplay.Outcome o) {
            return new Fate(o.status().name().toLowerCase(), o.admittedAfterSeconds() < 0 ? null : o.admittedAfterSeconds(),
                    o.endsAfterSeconds() < 0 ? null : o.endsAfterSeconds(), o.evictions(), o.reason());
        }

        boolean admitted() {
            return admittedAfterSeconds != null;
        }
    }

    /** What a policy's replay adds up to, with GPUs as people write them. */
    record Summary(String policy, int pending, int admitted, int waiting, int expired, Long waitP50Seconds,
            Long waitP95Seconds, String gpusAllocatedAtEnd, String gpusTotal, double gpuAllocationAtEnd,
            double meanGpuAllocation, int runningPreempted, List<WhatIfReplay.Eviction> evictions) {
        static Summary of(String policy, WhatIfReplay.Result r) {
            WhatIfReplay.Summary s = r.summary();
            return new Summary(policy, s.pending(), s.admitted(), s.waiting(), s.expired(), s.waitP50Seconds(),
                    s.waitP95Seconds(), ResourceList.format(ResourceList.GPU, s.gpuMillisAtEnd()),
                    ResourceList.format(ResourceList.GPU, s.gpuMillisTotal()), s.gpuAllocationAtEnd(),
                    s.meanGpuAllocation(), s.runningPreempted(), r.evictions());
        }
    }

    /** How the durations were come by, for the reader to weigh the answer. */
    record Durations(long assumedSeconds, Map<String, Integer> bySource, List<String> warnings, List<String> overran) {
    }

    /**
     * The whole answer.
     *
     * @param regressions pending workloads the current policy admits by the horizon and the proposed does not
     */
    record Report(String snapshotAt, long horizonSeconds, int nodes, String gpus, int running, Durations durations,
            List<Row> workloads, Summary current, Summary proposed, List<String> regressions) {
    }

    private WhatIf() {
    }

    /** Replays the snapshot's pending work under {@code current}, and under {@code proposed} when not null. */
    static Report run(AdmissionController.Snapshot s, long now, String snapshotAt, long assumedSeconds,
            WhatIfReplay.Settings settings, Policy current, Policy proposed) {
        WorkloadDurations.Estimates est = WorkloadDurations.of(s, now, assumedSeconds);
        List<WhatIfReplay.Running> running = new ArrayList<>();
        List<String> overran = new ArrayList<>();
        for (Admission a : s.state().running()) {
            WorkloadDurations.Estimate e = est.of(a.workload().id());
            running.add(new WhatIfReplay.Running(e.workloadId(), e.remainingSeconds(), e.durationSeconds()));
            if (e.overran()) {
                overran.add(e.workloadId() + " has run " + WorkloadDurations.format(e.elapsedSeconds()) + " of "
                        + WorkloadDurations.format(e.durationSeconds()) + "; taken to end now");
            }
        }
        List<WhatIfReplay.Pending> pending = new ArrayList<>();
        for (Workload w : s.pending()) {
            pending.add(new WhatIfReplay.Pending(w, est.of(w.id()).durationSeconds()));
        }
        WhatIfReplay.Result cr = WhatIfReplay.run(current.start(), running, pending, current.cycle(), now, settings);
        WhatIfReplay.Result pr = proposed == null ? null
                : WhatIfReplay.run(proposed.start(), running, pending, proposed.cycle(), now, settings);
        List<Row> rows = new ArrayList<>();
        List<String> regressions = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            Workload w = pending.get(i).workload();
            WorkloadDurations.Estimate e = est.of(w.id());
            Fate c = Fate.of(cr.outcomes().get(i));
            Fate p = pr == null ? null : Fate.of(pr.outcomes().get(i));
            if (p != null && c.admitted() && !p.admitted()) {
                regressions.add(w.id());
            }
            rows.add(new Row(w.id(), w.queue(), w.podCount(),
                    ResourceList.format(ResourceList.GPU, w.totalRequest().get(ResourceList.GPU)), e.durationSeconds(),
                    source(e.source()), c, p));
        }
        Map<String, Integer> bySource = new LinkedHashMap<>();
        est.countBySource().forEach((k, v) -> bySource.put(source(k), v));
        SchedulingState st = s.state();
        return new Report(snapshotAt, settings.horizonSeconds(), st.cluster().nodeCount(),
                ResourceList.format(ResourceList.GPU, st.cluster().totalGpuMillis()), st.running().size(),
                new Durations(assumedSeconds, bySource, est.warnings(), overran), rows,
                Summary.of(current.description(), cr), pr == null ? null : Summary.of(proposed.description(), pr),
                regressions);
    }

    static String source(WorkloadDurations.Source s) {
        return switch (s) {
            case ANNOTATION -> "annotation";
            case ACTIVE_DEADLINE -> "activeDeadlineSeconds";
            case ASSUMED -> "assumed";
        };
    }
}
