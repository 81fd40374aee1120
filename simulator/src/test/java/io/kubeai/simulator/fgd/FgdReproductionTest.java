package io.kubeai.simulator.fgd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.placement.PlacementPolicies;
import io.kubeai.simulator.report.FgdReport;
import io.kubeai.simulator.trace.OpenbTrace;
import io.kubeai.simulator.trace.TraceSource;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The FGD paper's default experiment, run as the artifact ran it: every policy's median GPU
 * allocation at 90, 100 and 130 % arrived load within half a point of the published one.
 */
class FgdReproductionTest {

    @Test
    void everyPolicyReproducesThePublishedMediansOnTheDefaultWorkload() {
        FgdWorkload w = FgdWorkload.load(TraceSource.bundled(OpenbTrace.DEFAULT_NODES),
                TraceSource.bundled(OpenbTrace.DEFAULT_PODS));
        List<Long> seeds = LongStream.rangeClosed(42, 51).boxed().toList();
        FgdResults results = FgdExperiment.run(
                new FgdExperiment.Spec(List.of(w), PlacementPolicies.NAMES, seeds, 1.3, 0), FgdExperiment.Progress.NONE);
        List<FgdReport.Deviation> deviations = new FgdReport(results, PublishedMedians.load()).deviations();
        assertThat(deviations).hasSize(18);
        assertThat(deviations).allSatisfy(d -> assertThat(d.withinTolerance())
                .as("%s at %d %%: ours %.2f, published %.2f", d.policy(), d.arrivedPercent(), d.ours(), d.published())
                .isTrue());
    }
}
