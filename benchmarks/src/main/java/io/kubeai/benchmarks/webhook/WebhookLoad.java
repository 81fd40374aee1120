package io.kubeai.benchmarks.webhook;

import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.kube.PolicyFile;
import io.kubeai.webhook.AdmissionWebhook;
import io.kubeai.webhook.NamespaceLabels;
import io.kubeai.webhook.WebhookServer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load test of the admission webhook over loopback HTTPS: an open-loop generator sends
 * AdmissionReviews for a mix of realistic pods at a fixed rate and measures each answer from the
 * moment it was <em>due</em> (so a stalled server shows up in the tail instead of slowing the
 * generator down: no coordinated omission). Prints p50, p90, p99, p99.9, max and the reviews/s
 * achieved for each rate, with the load average.
 *
 * <pre>
 * WebhookLoad [--url https://127.0.0.1:9443/mutate] [--rates 500,1000,2000] [--seconds 20]
 *             [--warmup-seconds 10] [--connections 2] [--http1] [--config policy.yaml] [--server-pid PID]
 * WebhookLoad selfsigned DIR      # writes DIR/tls.crt and DIR/tls.key for a server to use
 * WebhookLoad policy FILE         # writes the policy the load is meant for
 * </pre>
 *
 * Without {@code --url} the webhook is started in this JVM (one process, the same two cores).
 * benchmarks/webhook-load.sh starts the real {@code kubeai webhook} process and points this at it.
 */
public final class WebhookLoad {
    private WebhookLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("selfsigned")) {
            SelfSignedCertificate c = SelfSignedCertificate.create("localhost");
            Path dir = Path.of(args[1]);
            Files.createDirectories(dir);
            Files.copy(Path.of(c.certificatePath()), dir.resolve("tls.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(Path.of(c.privateKeyPath()), dir.resolve("tls.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        if (args.length == 2 && args[0].equals("policy")) {
            Path f = Path.of(args[1]);
            Files.copy(samplePolicy(Files.createTempDirectory("kubeai-webhook-policy")), f,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        String url = null;
        String config = null;
        List<Integer> rates = List.of(500, 1000, 2000);
        int seconds = 20;
        int warmup = 10;
        int connections = 2;
        boolean http2 = true;
        long serverPid = ProcessHandle.current().pid();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--config" -> config = args[++i];
                case "--rates" -> rates = Arrays.stream(args[++i].split(",")).map(String::strip).map(Integer::valueOf).toList();
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup-seconds" -> warmup = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--http1" -> http2 = false;
                case "--server-pid" -> serverPid = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; see the class comment of " + WebhookLoad.class.getName());
            }
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        WebhookServer embedded = null;
        if (url == null) {
            Path dir = Files.createTempDirectory("kubeai-webhook-load");
            main(new String[] {"selfsigned", dir.toString()});
            SchedulingPolicy policy = config == null ? PolicyFile.load(samplePolicy(dir)) : PolicyFile.load(Path.of(config));
            Vertx serverVertx = Vertx.vertx();
            AdmissionWebhook webhook = new AdmissionWebhook(policy.webhook(), NamespaceLabels.NONE);
            webhook.warmUp(java.time.Duration.ofSeconds(5));
            embedded = new WebhookServer(serverVertx, webhook, NamespaceLabels.NONE, WebhookServer.Options.defaults().withHost("127.0.0.1").withPort(0)
                            .withTls(dir.resolve("tls.crt"), dir.resolve("tls.key"))).start().await();
            url = "https://127.0.0.1:" + embedded.port() + "/mutate";
        }
        java.net.URI target = java.net.URI.create(url);
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true)
                .setVerifyHost(false).setUseAlpn(http2).setProtocolVersion(http2 ? HttpVersion.HTTP_2 : HttpVersion.HTTP_1_1)
                .setKeepAlive(true).setHttp2MultiplexingLimit(1000).setDefaultHost(target.getHost())
                .setDefaultPort(target.getPort()),
                new PoolOptions().setHttp1MaxSize(connections).setHttp2MaxSize(connections));
        List<Buffer> bodies = bodies(256);

        System.out.printf(Locale.ROOT, "webhook load: %s, %s, %d connection(s), %d s warm-up, %d s per rate%n", url,
                http2 ? "HTTP/2" : "HTTP/1.1", connections, warmup, seconds);
        run(vertx, client, target.getPath(), bodies, Math.max(100, rates.get(0)), warmup, false);
        System.out.println("target/s  achieved/s      p50      p90      p99    p99.9      max  errors  load avg (1m)"
                + "  server CPU/review");
        boolean ok = true;
        for (int rate : rates) {
            double cpuBefore = cpuSeconds(serverPid);
            Result r = run(vertx, client, target.getPath(), bodies, rate, seconds, true);
            double cpu = cpuSeconds(serverPid) - cpuBefore;
            System.out.printf(Locale.ROOT, "%8d  %10.0f  %7s  %7s  %7s  %7s  %7s  %6d  %13s  %10.0f us%n", rate, r.achieved,
                    ms(r.p(0.50)), ms(r.p(0.90)), ms(r.p(0.99)), ms(r.p(0.999)), ms(r.max()), r.errors, loadAverage(),
                    cpu / Math.max(1, r.sortedNanos.length) * 1e6);
            if (rate == 1000 && r.p(0.99) >= 2_000_000) {
                ok = false;
            }
        }
        System.out.println(ok ? "bar: p99 under 2 ms at 1,000 reviews/s: met" : "bar: p99 under 2 ms at 1,000 reviews/s: NOT met");
        client.close().await();
        vertx.close().await();
        if (embedded != null) {
            embedded.close();
        }
        System.exit(0);
    }

    record Result(long[] sortedNanos, double achieved, int errors) {
        long p(double q) {
            if (sortedNanos.length == 0) {
                return 0;
            }
            return sortedNanos[Math.min(sortedNanos.length - 1, (int) Math.ceil(q * sortedNanos.length) - 1)];
        }

        long max() {
            return sortedNanos.length == 0 ? 0 : sortedNanos[sortedNanos.length - 1];
        }
    }

    /** Sends {@code rate} reviews a second for {@code seconds}, each timed from when it was due. */
    private static Result run(Vertx vertx, HttpClient client, String path, List<Buffer> bodies, int rate, int seconds,
            boolean measure) throws InterruptedException {
        int total = rate * seconds;
        long[] latencies = new long[total];
        AtomicInteger done = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicLong lastAnswer = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(1);
        long start = System.nanoTime();
        long intervalNanos = 1_000_000_000L / rate;
        int[] sent = {0};
        vertx.runOnContext(v -> vertx.setPeriodic(1, id -> {
            long now = System.nanoTime();
            long due = Math.min(total, (now - start) / intervalNanos + 1);
            while (sent[0] < due) {
                int i = sent[0]++;
                long dueAt = start + i * intervalNanos;
                Buffer body = bodies.get(i % bodies.size());
                client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
                                .putHeader("Content-Type", "application/json"))
                        .compose(req -> req.send(body))
                        .compose(resp -> resp.body().map(b -> resp.statusCode() == 200 && b.length() > 0))
                        .onComplete(ar -> {
                            long t = System.nanoTime();
                            latencies[i] = t - dueAt;
                            if (ar.failed() || !ar.result()) {
                                errors.incrementAndGet();
                            }
                            lastAnswer.accumulateAndGet(t, Math::max);
                            if (done.incrementAndGet() == total) {
                                finished.countDown();
                            }
                        });
            }
            if (sent[0] >= total) {
                vertx.cancelTimer(id);
            }
        }));
        if (!finished.await(seconds + 60L, TimeUnit.SECONDS)) {
            System.out.println("  (not every answer came back within 60 s of the end)");
        }
        long[] sorted = Arrays.copyOf(latencies, done.get());
        Arrays.sort(sorted);
        double elapsed = (lastAnswer.get() - start) / 1e9;
        return new Result(sorted, done.get() / Math.max(elapsed, 1e-9), errors.get());
    }

    /** AdmissionReviews for a mix of pods as a training platform creates them, each with its own uid. */
    static List<Buffer> bodies(int n) {
        List<Buffer> out = new ArrayList<>();
        String[] shapes = {"plain", "pytorch-worker", "elastic-small", "pinned", "cron", "volcano"};
        for (int i = 0; i < n; i++) {
            String shape = shapes[i % shapes.length];
            String pod = pod(shape, i);
            String review = "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{"
                    + "\"uid\":\"" + UUID.randomUUID() + "\",\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},"
                    + "\"resource\":{\"group\":\"\",\"version\":\"v1\",\"resource\":\"pods\"},"
                    + "\"requestKind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},"
                    + "\"requestResource\":{\"group\":\"\",\"version\":\"v1\",\"resource\":\"pods\"},"
                    + "\"name\":\"" + shape + "-" + i + "\",\"namespace\":\"" + namespace(shape) + "\",\"operation\":\"CREATE\","
                    + "\"userInfo\":{\"username\":\"system:serviceaccount:kubeflow:training-operator\","
                    + "\"groups\":[\"system:serviceaccounts\",\"system:authenticated\"]},"
                    + "\"object\":" + pod + ",\"oldObject\":null,\"dryRun\":false,"
                    + "\"options\":{\"kind\":\"CreateOptions\",\"apiVersion\":\"meta.k8s.io/v1\"}}}";
            out.add(Buffer.buffer(review.getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static String namespace(String shape) {
        return switch (shape) {
            case "elastic-small" -> "dev";
            case "cron" -> "forecast";
            default -> "team-cv";
        };
    }

    private static String pod(String shape, int i) {
        String labels = switch (shape) {
            case "pytorch-worker" -> "\"training.kubeflow.org/job-name\":\"resnet-" + (i % 7) + "\","
                    + "\"training.kubeflow.org/replica-type\":\"worker\",\"training.kubeflow.org/replica-index\":\"" + (i % 8) + "\",";
            case "pinned" -> "\"kubeai.io/cpu-pinning\":\"exclusive\",";
            default -> "";
        };
        String annotations = shape.equals("volcano") ? "\"scheduling.k8s.io/group-name\":\"vj-" + (i % 5) + "\"," : "";
        String owner = shape.equals("cron")
                ? ",\"ownerReferences\":[{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"name\":\"nightly-forecast-"
                        + (29_123_456 + i) + "\",\"uid\":\"" + UUID.randomUUID() + "\",\"controller\":true,\"blockOwnerDeletion\":true}]"
                : "";
        String resources = switch (shape) {
            case "pytorch-worker" -> "{\"requests\":{\"cpu\":\"8\",\"memory\":\"64Gi\",\"nvidia.com/gpu\":\"2\"},"
                    + "\"limits\":{\"nvidia.com/gpu\":\"2\",\"memory\":\"64Gi\"}}";
            case "elastic-small" -> "{\"requests\":{\"cpu\":\"500m\",\"memory\":\"1Gi\"},\"limits\":{\"cpu\":\"1\",\"memory\":\"2Gi\"}}";
            case "pinned" -> "{\"requests\":{\"cpu\":\"3500m\",\"memory\":\"16Gi\"},\"limits\":{\"memory\":\"16Gi\"}}";
            default -> "{\"requests\":{\"cpu\":\"2\",\"memory\":\"8Gi\"}}";
        };
        StringBuilder env = new StringBuilder();
        for (int e = 0; e < 12; e++) {
            env.append(e == 0 ? "" : ",").append("{\"name\":\"ENV_").append(e).append("\",\"value\":\"value-").append(e)
                    .append("-").append(i).append("\"}");
        }
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + shape + "-" + i + "\",\"namespace\":\""
                + namespace(shape) + "\",\"labels\":{" + labels + "\"app\":\"" + shape + "\",\"pod-template-hash\":\"5d8f7c9b4\"},"
                + "\"annotations\":{" + annotations + "\"kubectl.kubernetes.io/default-container\":\"main\"}" + owner + "},"
                + "\"spec\":{\"volumes\":[{\"name\":\"data\",\"persistentVolumeClaim\":{\"claimName\":\"datasets\"}},"
                + "{\"name\":\"kube-api-access-x\",\"projected\":{\"sources\":[{\"serviceAccountToken\":{\"expirationSeconds\":3607,"
                + "\"path\":\"token\"}}],\"defaultMode\":420}}],"
                + "\"containers\":[{\"name\":\"main\",\"image\":\"registry.example/train:2.3\",\"command\":[\"python\",\"train.py\"],"
                + "\"args\":[\"--epochs\",\"90\",\"--batch-size\",\"256\"],\"env\":[" + env + "],\"resources\":" + resources + ","
                + "\"volumeMounts\":[{\"name\":\"data\",\"mountPath\":\"/data\"},{\"name\":\"kube-api-access-x\","
                + "\"readOnly\":true,\"mountPath\":\"/var/run/secrets/kubernetes.io/serviceaccount\"}],"
                + "\"terminationMessagePath\":\"/dev/termination-log\",\"terminationMessagePolicy\":\"File\","
                + "\"imagePullPolicy\":\"IfNotPresent\"}],"
                + "\"restartPolicy\":\"OnFailure\",\"terminationGracePeriodSeconds\":30,\"dnsPolicy\":\"ClusterFirst\","
                + "\"serviceAccountName\":\"default\",\"serviceAccount\":\"default\",\"securityContext\":{},"
                + "\"schedulerName\":\"default-scheduler\",\"tolerations\":[{\"key\":\"node.kubernetes.io/not-ready\","
                + "\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":300},"
                + "{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"effect\":\"NoExecute\","
                + "\"tolerationSeconds\":300}],\"priority\":0,\"enableServiceLinks\":true,"
                + "\"preemptionPolicy\":\"PreemptLowerPriority\"},\"status\":{\"phase\":\"Pending\",\"qosClass\":\"Burstable\"}}";
    }

    /** The policy the load runs under when none is given: every mutation has work to do. */
    static Path samplePolicy(Path dir) throws java.io.IOException {
        Path f = dir.resolve("policy.yaml");
        Files.writeString(f, """
                apiVersion: kubeai.io/v1alpha1
                kind: SchedulingPolicy
                webhook:
                  managedNamespaces: [team-cv, dev, forecast]
                  defaultQueue: shared
                  adoptSchedulerNames: [volcano]
                  namespaceRules:
                    - {namespace: team-cv, queue: team-cv, tier: dev}
                    - {namespace: forecast, queue: forecast, tier: prod}
                  tiers:
                    prod: {priorityClassName: kubeai-prod, priority: 100000}
                    dev: {priorityClassName: kubeai-dev, priority: 1000}
                  elastic:
                    enabled: true
                    priorityClassName: kubeai-elastic
                    priority: 10
                  queues:
                    - {name: root}
                    - {name: team-cv, parent: root, max: {nvidia.com/gpu: 64}}
                    - {name: forecast, parent: root}
                    - {name: shared, parent: root}
                """);
        return f;
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2fms", nanos / 1e6);
    }

    /**
     * User and system CPU time of a process so far, from /proc (Linux). The server's CPU per review
     * does not depend on what else the machine runs, unlike the latencies.
     */
    private static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in clock ticks (USER_HZ 100)
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "n/a";
        }
    }
}
