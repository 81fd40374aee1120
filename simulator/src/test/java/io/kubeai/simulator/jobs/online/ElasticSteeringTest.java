package io.kubeai.simulator.jobs.online;

import static io.kubeai.simulator.jobs.JobBuilder.job;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.config.WebhookPolicy;
import io.kubeai.simulator.jobs.JobSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ElasticSteeringTest {
    private static final WebhookPolicy.Elastic RULE = WebhookPolicy.ELASTIC_DEFAULT; // dev, ≤ 2 CPU and ≤ 8 GiB
    private static final long GIB = 1L << 30;

    record Case(String name, JobSpec job, boolean elastic) {
    }

    @Test
    void onlySmallSingleCpuDevPodsMoveToElasticResources() {
        List<Case> cases = List.of(
                new Case("small dev pod", job("a").cpu(2000).memory(8 * GIB).build(), true),
                new Case("too much CPU", job("b").cpu(2500).memory(GIB).build(), false),
                new Case("too much memory", job("c").cpu(500).memory(9 * GIB).build(), false),
                new Case("production", job("d").prod().cpu(500).memory(GIB).build(), false),
                new Case("a gang", job("e").pods(2).cpu(500).memory(GIB).build(), false),
                new Case("with a GPU", job("f").cpu(500).memory(GIB).gpus(1).build(), false));
        for (Case c : cases) {
            JobSpec out = ElasticSteering.steer(List.of(c.job()), RULE).get(0);
            long elasticCpu = out.podRequest().extended().get(RULE.cpuResource());
            assertThat(elasticCpu > 0).as(c.name()).isEqualTo(c.elastic());
            if (c.elastic()) {
                assertThat(out.podRequest().cpuMillis()).as(c.name()).isZero();
                assertThat(out.podRequest().memoryBytes()).as(c.name()).isZero();
                assertThat(elasticCpu).isEqualTo(c.job().podRequest().cpuMillis());
                assertThat(out.podRequest().extended().get(RULE.memoryResource()))
                        .isEqualTo(c.job().podRequest().memoryBytes());
            } else {
                assertThat(out).as(c.name()).isEqualTo(c.job());
            }
        }
    }
}
