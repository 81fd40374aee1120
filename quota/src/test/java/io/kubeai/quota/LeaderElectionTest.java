package io.kubeai.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.kube.ClusterCache;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class LeaderElectionTest {
    KubernetesClient client;

    @Test
    void twoReplicasNeverBothLeadAndTheSecondTakesOverWhenTheFirstStops() {
        ClusterCache cache = new ClusterCache(Clock.systemUTC(), Duration.ofSeconds(30)).start(client);
        ControllerRunner a = runner(cache, "a");
        ControllerRunner b = runner(cache, "b");
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> a.leading() || b.leading());
            for (int i = 0; i < 20; i++) {
                assertThat(a.leading() && b.leading()).isFalse();
            }
            ControllerRunner leader = a.leading() ? a : b;
            ControllerRunner other = leader == a ? b : a;
            leader.close();
            await().atMost(Duration.ofSeconds(30)).until(other::leading);
        } finally {
            a.close();
            b.close();
            cache.close();
        }
    }

    private ControllerRunner runner(ClusterCache cache, String id) {
        AdmissionController c = new AdmissionController(client, cache, Clock.systemUTC(), SchedulingPolicy.DEFAULT,
                new ControllerMetrics(), id);
        return new ControllerRunner(c, Duration.ofSeconds(1)).startWithElection(client, "kubeai-system", "kubeai", id);
    }
}
