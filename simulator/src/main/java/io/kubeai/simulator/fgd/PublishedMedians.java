package io.kubeai.simulator.fgd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The medians the FGD artifact published (GPU allocation % by arrived load), the anchors every
 * run of ours is printed beside. Loaded from {@code fgd-published-medians.csv}, which cites them.
 */
public final class PublishedMedians {
    /** How far a median of ours may sit from a published one and still count as reproduced. */
    public static final double TOLERANCE_POINTS = 0.5;

    private final Map<String, Double> byKey;

    private PublishedMedians(Map<String, Double> byKey) {
        this.byKey = byKey;
    }

    public static PublishedMedians load() {
        Map<String, Double> map = new LinkedHashMap<>();
        try (InputStream in = PublishedMedians.class.getResourceAsStream("fgd-published-medians.csv");
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            boolean header = true;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                String[] f = line.split(",");
                map.put(key(f[0], f[1], Integer.parseInt(f[2])), Double.parseDouble(f[3]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PublishedMedians(map);
    }

    /** The published median, if there is one for this workload, policy and arrived percentage. */
    public OptionalDouble allocation(String workload, String policy, int arrivedPercent) {
        Double v = byKey.get(key(workload, policy, arrivedPercent));
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    public int size() {
        return byKey.size();
    }

    private static String key(String workload, String policy, int pct) {
        return workload + "|" + policy + "|" + pct;
    }
}
