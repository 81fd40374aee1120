package io.kubeai.benchmarks.extender;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.extender.ExtenderServer;
import io.kubeai.extender.ExtenderService;
import io.kubeai.extender.PolicyProvider;
import io.kubeai.kube.ClusterCache;
import io.kubeai.kube.KeyOnlyItemStore;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * The production extender ({@link ExtenderServer} + {@link ExtenderService} + {@link ClusterCache}
 * + {@link PolicyProvider}, wired as {@code kubeai extender} wires them) serving a synthetic
 * cluster, for {@link ExtenderLoadGenerator} to drive from another JVM.
 *
 * <p>The cache is fed directly ({@code upsertNode}, {@code upsertPod}, {@code markSynced}) with
 * objects that went through JSON exactly as an informer's do, so that they hold their own
 * strings and maps. No API server: the Kubernetes client is only used by bind, which the load
 * does not call, so the service gets none.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.kubeai.benchmarks.extender.ExtenderUnderLoad \
 *     --nodes 5000 --pods 100000 [--port 0] [--host 127.0.0.1] [--policy BestFit] [--seed 42]
 * </pre>
 *
 * Prints {@code port <n>} once listening, then the cache build time and the heap after full GCs,
 * then {@code ready} (and {@code /readyz} answers 200). Serves until killed.
 */
public final class ExtenderUnderLoad {
    private ExtenderUnderLoad() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = 5000;
        int pods = 100_000;
        int port = 0;
        String host = "127.0.0.1";
        String policy = SchedulingPolicy.DEFAULT.placementPolicy();
        long seed = 42;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--pods" -> pods = Integer.parseInt(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--host" -> host = args[++i];
                case "--policy" -> policy = args[++i];
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("usage: ExtenderUnderLoad --nodes N --pods M [--port P] [--host H] [--policy NAME]"
                            + " [--seed S]");
                    System.exit(2);
                }
            }
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ClusterCache cache = new ClusterCache(Clock.systemUTC(), Duration.ofSeconds(30));
        Vertx vertx = Vertx.vertx();
        ExtenderService service = new ExtenderService(cache, null,
                new PolicyProvider(policy, cache, Clock.systemUTC(), Duration.ofMinutes(1)));
        ExtenderServer server = new ExtenderServer(vertx, service,
                ExtenderServer.Options.defaults().withHost(host).withPort(port)).start().await();
        System.out.println("port " + server.port());
        System.out.flush();
        long emptyHeap = heapAfterGc(memory);

        KubernetesSerialization json = new KubernetesSerialization();
        SyntheticCluster cluster = new SyntheticCluster(nodes, seed);
        // What the informers' stores would hold in production (keys and resource versions), kept
        // alive to the end so that the heap figure includes them.
        KeyOnlyItemStore<Node> nodeStore = new KeyOnlyItemStore<>(Node::new);
        KeyOnlyItemStore<Pod> podStore = new KeyOnlyItemStore<>(Pod::new);
        long t0 = System.nanoTime();
        for (int i = 0; i < nodes; i++) {
            Node n = json.unmarshal(json.asJson(cluster.node(i)), Node.class);
            nodeStore.put(nodeStore.getKey(n), n);
            cache.upsertNode(n);
        }
        long t1 = System.nanoTime();
        long nodesHeap = heapAfterGc(memory);
        long t2 = System.nanoTime();
        SyntheticCluster.Fill fill = cluster.bindPods(pods, p -> {
            Pod pod = json.unmarshal(json.asJson(p), Pod.class);
            podStore.put(podStore.getKey(pod), pod);
            cache.upsertPod(pod);
        });
        long t3 = System.nanoTime();
        cache.markSynced();
        System.out.printf(Locale.ROOT, "cache: %,d nodes in %.1f s, then %s in %.1f s; cache holds %,d nodes, %,d pods placed%n",
                nodes, (t1 - t0) / 1e9, fill, (t3 - t2) / 1e9, cache.nodeCount(), cache.podCount());
        long fullHeap = heapAfterGc(memory);
        System.out.printf(Locale.ROOT, "heap after full GC: %.1f MiB (server alone %.1f MiB; + %,d nodes %.1f MiB;"
                + " + %,d pods %.1f MiB = %.2f KiB per pod); max heap %.0f MiB%n",
                mib(fullHeap), mib(emptyHeap), nodes, mib(nodesHeap - emptyHeap), fill.pods(), mib(fullHeap - nodesHeap),
                (fullHeap - nodesHeap) / 1024.0 / Math.max(1, fill.pods()), mib(Runtime.getRuntime().maxMemory()));
        System.out.printf(Locale.ROOT, "informer stores (keys only): %,d nodes, %,d pods%n", nodeStore.size(),
                podStore.size());
        System.out.println("policy " + policy);
        System.out.println("ready");
        System.out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            vertx.close();
            stop.countDown();
        }));
        stop.await();
    }

    /** Heap in use after full collections, settled: the smallest of a few {@code System.gc()} rounds. */
    static long heapAfterGc(MemoryMXBean memory) throws InterruptedException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            best = Math.min(best, memory.getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    private static double mib(long bytes) {
        return bytes / 1024.0 / 1024.0;
    }
}
