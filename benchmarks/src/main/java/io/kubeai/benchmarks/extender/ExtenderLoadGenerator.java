package io.kubeai.benchmarks.extender;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drives a running extender ({@link ExtenderUnderLoad}) the way kube-scheduler does: for each
 * pending pod, {@code POST <prefix>/filter} with every node, then {@code POST <prefix>/prioritize}
 * with the nodes the filter kept, on C keep-alive HTTP/1.1 connections, each with one call in
 * flight. One <em>call</em> is that pair; filter and prioritize are also reported apart.
 *
 * <p>Bodies are exactly what kube-scheduler marshals ({@code ExtenderArgs} has no JSON tags, so
 * the absent field is {@code null}):
 * <ul>
 *   <li>{@code --mode names} ({@code nodeCacheCapable: true}):
 *       {@code {"Pod":{...},"Nodes":null,"NodeNames":["...", ...]}}
 *   <li>{@code --mode nodes} ({@code nodeCacheCapable: false}):
 *       {@code {"Pod":{...},"Nodes":{"metadata":{},"items":[{full Node}, ...]},"NodeNames":null}}
 * </ul>
 * The node objects are {@link SyntheticCluster}'s, rebuilt here from {@code --nodes} and
 * {@code --seed}, so they match the server's cache. The six pending pods are
 * {@link SyntheticCluster#pendingPods}, taken round-robin (each connection starts at a different
 * one). Every pod's filter and prioritize answers are checked once before the load (no
 * {@code Error}, one score per node kept); during the load, an answer whose status is not 200 or
 * whose length differs from that checked answer counts as an error (the cluster does not change:
 * nothing is bound).
 *
 * <p>For each concurrency: a warm-up (not recorded), then a measured window. Client-side
 * latency is from the first byte written to the last byte of the answer read; percentiles are
 * exact (sorted nanoseconds). Around the window, the server's {@code /metrics} is scraped and the
 * difference gives the server-side histogram of the window alone; {@code /proc/<pid>/stat} gives
 * the server's CPU time, and {@code /proc/loadavg} the machine's load.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.kubeai.benchmarks.extender.ExtenderLoadGenerator \
 *     --port P --nodes 5000 --mode names [--concurrency 2,4,8] [--warmup 5] [--duration 20] \
 *     [--first-warmup 15] [--server-pid PID] [--label NAME] [--seed 42] [--host 127.0.0.1] [--prefix /scheduler]
 * </pre>
 */
public final class ExtenderLoadGenerator {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final String host;
    private final int port;
    private final List<Probe> probes = new ArrayList<>();

    /** One pending pod: its requests and the answers they got when checked. */
    private record Probe(String name, byte[] filterRequest, byte[] prioritizeRequest, int filterAnswerBytes,
            int prioritizeAnswerBytes) {
    }

    private ExtenderLoadGenerator(String host, int port) {
        this.host = host;
        this.port = port;
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = -1;
        String prefix = "/scheduler";
        int nodes = 5000;
        long seed = 42;
        String mode = "names";
        int[] concurrency = {2, 4, 8};
        double warmup = 5;
        double firstWarmup = 15;
        double duration = 20;
        long serverPid = -1;
        String label = null;
        int candidates = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--prefix" -> prefix = args[++i];
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--mode" -> mode = args[++i];
                case "--concurrency" -> concurrency = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--first-warmup" -> firstWarmup = Double.parseDouble(args[++i]);
                case "--duration" -> duration = Double.parseDouble(args[++i]);
                case "--server-pid" -> serverPid = Long.parseLong(args[++i]);
                case "--label" -> label = args[++i];
                case "--candidates" -> candidates = Integer.parseInt(args[++i]);
                default -> usage("unknown option " + args[i]);
            }
        }
        if (port < 0) {
            usage("--port is required");
        }
        if (!mode.equals("names") && !mode.equals("nodes")) {
            usage("--mode is names (nodeCacheCapable: true) or nodes (nodeCacheCapable: false)");
        }
        if (label == null) {
            label = mode + "-" + nodes;
        }
        ExtenderLoadGenerator g = new ExtenderLoadGenerator(host, port);
        if (candidates <= 0 || candidates > nodes) {
            candidates = nodes;
        }
        g.prepare(prefix, nodes, candidates, seed, mode.equals("names"));
        System.out.printf(Locale.ROOT, "%n== %s: %,d nodes, %s, %s, concurrency %s, warm-up %.0f s (first %.0f s), %.0f s measured ==%n",
                label, nodes, mode.equals("names") ? "nodeCacheCapable: true (NodeNames)" : "nodeCacheCapable: false (Nodes)",
                candidates == nodes ? "every node a candidate" : String.format(Locale.ROOT, "%,d candidates a call", candidates),
                Arrays.toString(concurrency), warmup, firstWarmup, duration);
        boolean first = true;
        for (int c : concurrency) {
            g.run(c, first ? Math.max(firstWarmup, warmup) : warmup, false);
            first = false;
            Map<String, double[]> before = g.scrape();
            long cpu0 = serverCpuNanos(serverPid);
            long self0 = selfCpuNanos();
            String load0 = loadavg();
            Result r = g.run(c, duration, true);
            String load1 = loadavg();
            long cpu1 = serverCpuNanos(serverPid);
            long self1 = selfCpuNanos();
            Map<String, double[]> after = g.scrape();
            r.print(label, mode, nodes, candidates, c, before, after, serverPid < 0 ? -1 : cpu1 - cpu0, self1 - self0, load0, load1);
        }
    }

    private static void usage(String why) {
        System.err.println(why);
        System.err.println("usage: ExtenderLoadGenerator --port P [--nodes N] [--mode names|nodes] [--concurrency 2,4,8]"
                + " [--candidates K] [--warmup S] [--first-warmup S] [--duration S] [--server-pid PID] [--label NAME]"
                + " [--seed S] [--host H] [--prefix /scheduler]");
        System.exit(2);
    }

    // ---------------------------------------------------------------- setup and checks

    private void prepare(String prefix, int nodeCount, int candidates, long seed, boolean byName) throws IOException {
        SyntheticCluster cluster = new SyntheticCluster(nodeCount, seed);
        List<String> all = cluster.nodeNames();
        // Every node, or windows of consecutive nodes (kube-scheduler's percentageOfNodesToScore:
        // it stops once it has found that many feasible nodes, starting where the last pod stopped).
        int windows = candidates == nodeCount ? 1 : 4;
        Map<String, byte[]> nodeJson = new HashMap<>();
        if (!byName) {
            for (int i = 0; i < nodeCount; i++) {
                nodeJson.put(cluster.nodeName(i), MAPPER.writeValueAsBytes(cluster.node(i)));
            }
        }
        System.out.printf(Locale.ROOT, "%-58s %6s %6s %6s %6s %10s %10s %10s %10s%n", "pending pod", "kept", "failed",
                "unres.", "scored", "filter-in", "filter-out", "prio-in", "prio-out");
        try (Conn conn = new Conn(host, port)) {
            List<Map<String, Object>> pending = SyntheticCluster.pendingPods(seed);
            for (int probe = 0; probe < pending.size() * windows; probe++) {
                Map<String, Object> pod = pending.get(probe % pending.size());
                int from = (int) ((probe * 997L + (long) (probe / pending.size()) * nodeCount / windows) % nodeCount);
                List<String> names = new ArrayList<>(candidates);
                for (int i = 0; i < candidates; i++) {
                    names.add(all.get((from + i) % nodeCount));
                }
                byte[] podJson = MAPPER.writeValueAsBytes(pod);
                @SuppressWarnings("unchecked")
                String name = ((Map<String, Object>) pod.get("metadata")).get("namespace") + "/"
                        + ((Map<String, Object>) pod.get("metadata")).get("name");
                byte[] filterBody = args(podJson, names, byName, nodeJson);
                byte[] filterRequest = post(prefix + "/filter", filterBody);
                Answer fa = conn.call(filterRequest, true);
                if (fa.status != 200) {
                    throw new IllegalStateException("filter of " + name + " answered " + fa.status + ": " + fa.text(300));
                }
                JsonNode f = MAPPER.readTree(fa.body, 0, fa.length);
                if (f.has("Error") && !f.get("Error").isNull() && !f.get("Error").asString().isEmpty()) {
                    throw new IllegalStateException("filter of " + name + " answered Error: " + f.get("Error").asString());
                }
                List<String> kept = new ArrayList<>();
                if (byName) {
                    f.get("NodeNames").forEach(n -> kept.add(n.asString()));
                } else {
                    f.get("Nodes").get("items").forEach(n -> kept.add(n.get("metadata").get("name").asString()));
                }
                int failed = f.has("FailedNodes") ? f.get("FailedNodes").size() : 0;
                int unresolvable = f.has("FailedAndUnresolvableNodes") ? f.get("FailedAndUnresolvableNodes").size() : 0;
                if (kept.size() + failed + unresolvable != candidates) {
                    throw new IllegalStateException("filter of " + name + " accounted for " + (kept.size() + failed + unresolvable)
                            + " of " + candidates + " nodes");
                }
                byte[] prioritizeRequest = null;
                int prioritizeBytes = 0;
                int scored = 0;
                if (!kept.isEmpty()) {
                    prioritizeRequest = post(prefix + "/prioritize", args(podJson, kept, byName, nodeJson));
                    Answer pa = conn.call(prioritizeRequest, true);
                    if (pa.status != 200) {
                        throw new IllegalStateException("prioritize of " + name + " answered " + pa.status + ": " + pa.text(300));
                    }
                    JsonNode p = MAPPER.readTree(pa.body, 0, pa.length);
                    scored = p.size();
                    if (scored != kept.size()) {
                        throw new IllegalStateException("prioritize of " + name + " scored " + scored + " of " + kept.size());
                    }
                    prioritizeBytes = pa.length;
                }
                probes.add(new Probe(name, filterRequest, prioritizeRequest, fa.length, prioritizeBytes));
                System.out.printf(Locale.ROOT, "%-58s %6d %6d %6d %6d %10s %10s %10s %10s%n", name, kept.size(), failed,
                        unresolvable, scored, size(filterRequest.length), size(fa.length),
                        prioritizeRequest == null ? "-" : size(prioritizeRequest.length), prioritizeRequest == null ? "-"
                                : size(prioritizeBytes));
            }
        }
        if (probes.stream().anyMatch(p -> p.prioritizeRequest == null)) {
            System.out.println("(a pod no node kept gets no prioritize call, as kube-scheduler would not make one)");
        }
    }

    /** kube-scheduler's ExtenderArgs, marshalled as Go does: all three keys, the unused one null. */
    private static byte[] args(byte[] podJson, List<String> nodes, boolean byName, Map<String, byte[]> nodeJson)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(byName ? nodes.size() * 48 + podJson.length
                : nodes.size() * 7000 + podJson.length);
        out.write("{\"Pod\":".getBytes(StandardCharsets.UTF_8));
        out.write(podJson);
        if (byName) {
            out.write(",\"Nodes\":null,\"NodeNames\":".getBytes(StandardCharsets.UTF_8));
            out.write(MAPPER.writeValueAsBytes(nodes));
        } else {
            out.write(",\"Nodes\":{\"metadata\":{},\"items\":[".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < nodes.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(nodeJson.get(nodes.get(i)));
            }
            out.write("]},\"NodeNames\":null".getBytes(StandardCharsets.UTF_8));
        }
        out.write('}');
        return out.toByteArray();
    }

    private byte[] post(String path, byte[] body) {
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUser-Agent: kube-scheduler/v1.31.4"
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    // ---------------------------------------------------------------- the load

    private Result run(int concurrency, double seconds, boolean record) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        Worker[] workers = new Worker[concurrency];
        Thread[] threads = new Thread[concurrency];
        for (int w = 0; w < concurrency; w++) {
            workers[w] = new Worker(w, deadline, record);
            threads[w] = new Thread(workers[w], "load-" + w);
            threads[w].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long end = System.nanoTime();
        for (Worker w : workers) {
            if (w.failure != null) {
                throw new IllegalStateException("connection " + w.id + " failed", w.failure);
            }
        }
        return new Result(workers, end - start);
    }

    private final class Worker implements Runnable {
        final int id;
        final long deadline;
        final boolean record;
        final Longs call = new Longs();
        final Longs filter = new Longs();
        final Longs prioritize = new Longs();
        long errors;
        long bytesIn;
        long bytesOut;
        Exception failure;

        Worker(int id, long deadline, boolean record) {
            this.id = id;
            this.deadline = deadline;
            this.record = record;
        }

        @Override
        public void run() {
            try (Conn conn = new Conn(host, port)) {
                int k = id;
                while (System.nanoTime() < deadline) {
                    Probe p = probes.get(k++ % probes.size());
                    long t0 = System.nanoTime();
                    Answer fa = conn.call(p.filterRequest, false);
                    long t1 = System.nanoTime();
                    bytesOut += p.filterRequest.length;
                    bytesIn += fa.length;
                    if (fa.status != 200 || fa.length != p.filterAnswerBytes) {
                        errors++;
                    }
                    long t2 = t1;
                    if (p.prioritizeRequest != null) {
                        Answer pa = conn.call(p.prioritizeRequest, false);
                        t2 = System.nanoTime();
                        bytesOut += p.prioritizeRequest.length;
                        bytesIn += pa.length;
                        if (pa.status != 200 || pa.length != p.prioritizeAnswerBytes) {
                            errors++;
                        }
                        if (record) {
                            prioritize.add(t2 - t1);
                        }
                    }
                    if (record) {
                        filter.add(t1 - t0);
                        call.add(t2 - t0);
                    }
                }
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
        }
    }

    /** What one concurrency level measured. */
    private final class Result {
        final long[] call;
        final long[] filter;
        final long[] prioritize;
        final long errors;
        final long bytesIn;
        final long bytesOut;
        final long elapsed;

        Result(Worker[] workers, long elapsed) {
            this.call = merge(workers, w -> w.call);
            this.filter = merge(workers, w -> w.filter);
            this.prioritize = merge(workers, w -> w.prioritize);
            this.errors = Arrays.stream(workers).mapToLong(w -> w.errors).sum();
            this.bytesIn = Arrays.stream(workers).mapToLong(w -> w.bytesIn).sum();
            this.bytesOut = Arrays.stream(workers).mapToLong(w -> w.bytesOut).sum();
            this.elapsed = elapsed;
        }

        private long[] merge(Worker[] workers, java.util.function.Function<Worker, Longs> f) {
            int n = 0;
            for (Worker w : workers) {
                n += f.apply(w).size;
            }
            long[] all = new long[n];
            int at = 0;
            for (Worker w : workers) {
                Longs l = f.apply(w);
                System.arraycopy(l.values, 0, all, at, l.size);
                at += l.size;
            }
            Arrays.sort(all);
            return all;
        }

        void print(String label, String mode, int nodes, int candidates, int c, Map<String, double[]> before, Map<String, double[]> after,
                long serverCpu, long selfCpu, String load0, String load1) {
            double secs = elapsed / 1e9;
            double rate = call.length / secs;
            System.out.printf(Locale.ROOT, "%n-- concurrency %d: %,d calls in %.1f s = %,.0f calls/s (filter + prioritize),"
                    + " %d errors; %.0f MB/s sent, %.0f MB/s received%n", c, call.length, secs, rate, errors,
                    bytesOut / secs / 1e6, bytesIn / secs / 1e6);
            System.out.printf(Locale.ROOT, "   client latency, ms   %8s %8s %8s %8s %8s%n", "p50", "p90", "p99", "p99.9", "max");
            line("call (filter+prio)", call);
            line("filter", filter);
            line("prioritize", prioritize);
            Server sf = Server.of(before, after, "filter");
            Server sp = Server.of(before, after, "prioritize");
            System.out.printf(Locale.ROOT, "   server histogram     %8s %10s %12s %14s%n", "count", "mean, ms", "p99 bucket",
                    "share <= 1 ms");
            System.out.printf(Locale.ROOT, "     %-18s %8d %10.3f %12s %13.2f %%%n", "filter", sf.count, sf.meanMs(), sf.p99(),
                    sf.shareUnderMs(1));
            System.out.printf(Locale.ROOT, "     %-18s %8d %10.3f %12s %13.2f %%%n", "prioritize", sp.count, sp.meanMs(), sp.p99(),
                    sp.shareUnderMs(1));
            double serverMsPerCall = serverCpu < 0 ? Double.NaN : serverCpu / 1e6 / Math.max(1, call.length);
            double selfMsPerCall = selfCpu / 1e6 / Math.max(1, call.length);
            System.out.printf(Locale.ROOT, "   CPU per call: server %.3f ms, load generator %.3f ms; server used %.2f cores,"
                    + " load generator %.2f%n", serverMsPerCall, selfMsPerCall, serverCpu < 0 ? Double.NaN : serverCpu / (double) elapsed,
                    selfCpu / (double) elapsed);
            System.out.printf(Locale.ROOT, "   load average before: %s, after: %s%n", load0, load1);
            System.out.printf(Locale.ROOT, "RESULT label=%s mode=%s nodes=%d candidates=%d c=%d calls=%d calls_per_s=%.0f errors=%d"
                    + " call_p50_ms=%.3f call_p99_ms=%.3f call_max_ms=%.3f filter_p50_ms=%.3f filter_p99_ms=%.3f"
                    + " prio_p50_ms=%.3f prio_p99_ms=%.3f server_filter_p99_le=%s server_prio_p99_le=%s"
                    + " server_filter_mean_ms=%.3f server_prio_mean_ms=%.3f server_filter_le1ms_pct=%.2f server_prio_le1ms_pct=%.2f"
                    + " server_cpu_ms_per_call=%.3f client_cpu_ms_per_call=%.3f load1=%s%n",
                    label, mode, nodes, candidates, c, call.length, rate, errors, ms(pct(call, 50)), ms(pct(call, 99)), ms(max(call)),
                    ms(pct(filter, 50)), ms(pct(filter, 99)), ms(pct(prioritize, 50)), ms(pct(prioritize, 99)),
                    sf.p99().replace(" ", ""), sp.p99().replace(" ", ""), sf.meanMs(), sp.meanMs(), sf.shareUnderMs(1),
                    sp.shareUnderMs(1), serverMsPerCall, selfMsPerCall, load1.split(" ")[0]);
        }

        private void line(String what, long[] v) {
            System.out.printf(Locale.ROOT, "     %-18s %8.3f %8.3f %8.3f %8.3f %8.3f%n", what, ms(pct(v, 50)), ms(pct(v, 90)),
                    ms(pct(v, 99)), ms(pct(v, 99.9)), ms(max(v)));
        }
    }

    /** Exact percentile of sorted values (nearest rank). */
    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static long max(long[] sorted) {
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String size(int bytes) {
        return bytes >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0)
                : String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
    }

    /** A growable array of longs. */
    static final class Longs {
        long[] values = new long[1 << 14];
        int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }
    }

    // ---------------------------------------------------------------- the server's own figures

    private static final Pattern BUCKET = Pattern.compile(
            "^kubeai_extender_request_duration_seconds_(bucket|sum|count)\\{([^}]*)\\} ([0-9.eE+-]+)");
    private static final Pattern VERB = Pattern.compile("verb=\"([^\"]*)\"");
    private static final Pattern LE = Pattern.compile("le=\"([^\"]*)\"");

    /** {@code verb -> [count, sum, bucket counts by upper bound...]}, keyed "verb", "verb|sum", "verb|le". */
    private Map<String, double[]> scrape() throws IOException {
        Map<String, double[]> out = new LinkedHashMap<>();
        byte[] get = ("GET /metrics HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        try (Conn conn = new Conn(host, port)) {
            Answer a = conn.call(get, true);
            for (String line : a.text(Integer.MAX_VALUE).split("\n")) {
                Matcher m = BUCKET.matcher(line);
                if (!m.find()) {
                    continue;
                }
                Matcher v = VERB.matcher(m.group(2));
                if (!v.find()) {
                    continue;
                }
                String key = v.group(1) + "|" + m.group(1);
                if (m.group(1).equals("bucket")) {
                    Matcher le = LE.matcher(m.group(2));
                    le.find();
                    key += "|" + le.group(1);
                }
                out.put(key, new double[] {Double.parseDouble(m.group(3))});
            }
        }
        return out;
    }

    /** The server histogram of one verb over the measured window. */
    private record Server(long count, double sumSeconds, TreeMap<Double, Long> cumulative) {
        static Server of(Map<String, double[]> before, Map<String, double[]> after, String verb) {
            long count = (long) (get(after, verb + "|count") - get(before, verb + "|count"));
            double sum = get(after, verb + "|sum") - get(before, verb + "|sum");
            TreeMap<Double, Long> buckets = new TreeMap<>();
            for (String k : after.keySet()) {
                if (k.startsWith(verb + "|bucket|")) {
                    String le = k.substring((verb + "|bucket|").length());
                    double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                    buckets.put(bound, (long) (get(after, k) - get(before, k)));
                }
            }
            return new Server(count, sum, buckets);
        }

        private static double get(Map<String, double[]> m, String k) {
            double[] v = m.get(k);
            return v == null ? 0 : v[0];
        }

        double meanMs() {
            return count == 0 ? Double.NaN : sumSeconds / count * 1e3;
        }

        /** The upper bound of the bucket holding the 99th percentile, as "<= x ms". */
        String p99() {
            if (count == 0) {
                return "-";
            }
            for (Map.Entry<Double, Long> e : cumulative.entrySet()) {
                if (e.getValue() >= Math.ceil(0.99 * count)) {
                    return e.getKey().isInfinite() ? "> 2500 ms" : String.format(Locale.ROOT, "<= %s ms",
                            trim(e.getKey() * 1e3));
                }
            }
            return "?";
        }

        double shareUnderMs(double ms) {
            Long c = cumulative.get(ms / 1e3);
            return count == 0 || c == null ? Double.NaN : 100.0 * c / count;
        }

        private static String trim(double v) {
            String s = String.format(Locale.ROOT, "%.3f", v);
            return s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
    }

    private static long serverCpuNanos(long pid) {
        if (pid < 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime, fields 14 and 15
            return ticks * 10_000_000L; // USER_HZ = 100
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long selfCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String loadavg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    // ---------------------------------------------------------------- a minimal HTTP/1.1 client

    /** An answer; {@code body} is the connection's buffer, valid until its next call unless copied. */
    private record Answer(int status, byte[] body, int length) {
        String text(int max) {
            return new String(body, 0, Math.min(length, max), StandardCharsets.UTF_8);
        }
    }

    /**
     * One keep-alive connection, one request at a time, as Go's transport uses one: requests are
     * pre-encoded, answers read by {@code Content-Length} into a reused buffer.
     */
    static final class Conn implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private byte[] buffer = new byte[1 << 20];
        private final StringBuilder line = new StringBuilder();

        Conn(String host, int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(60_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        }

        Answer call(byte[] request, boolean copy) throws IOException {
            out.write(request);
            out.flush();
            String status = readLine();
            if (!status.startsWith("HTTP/1.1 ")) {
                throw new IOException("not an HTTP/1.1 answer: " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            int length = -1;
            for (String h = readLine(); !h.isEmpty(); h = readLine()) {
                int colon = h.indexOf(':');
                if (colon > 0 && h.regionMatches(true, 0, "content-length", 0, colon)) {
                    length = Integer.parseInt(h.substring(colon + 1).trim());
                } else if (colon > 0 && h.regionMatches(true, 0, "transfer-encoding", 0, colon)) {
                    throw new IOException("chunked answers are not supported: " + h);
                }
            }
            if (length < 0) {
                throw new IOException("an answer without Content-Length");
            }
            if (buffer.length < length) {
                buffer = new byte[Math.max(length, buffer.length * 2)];
            }
            int at = 0;
            while (at < length) {
                int n = in.read(buffer, at, length - at);
                if (n < 0) {
                    throw new EOFException("the server closed the connection");
                }
                at += n;
            }
            return new Answer(code, copy ? Arrays.copyOf(buffer, length) : buffer, length);
        }

        private String readLine() throws IOException {
            line.setLength(0);
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("the server closed the connection");
                }
                if (b == '\n') {
                    int n = line.length();
                    if (n > 0 && line.charAt(n - 1) == '\r') {
                        line.setLength(n - 1);
                    }
                    return line.toString();
                }
                line.append((char) b);
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
