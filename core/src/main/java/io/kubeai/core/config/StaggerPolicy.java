package io.kubeai.core.config;

import io.kubeai.core.window.Stagger;
import io.kubeai.core.window.TimeWindow;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code stagger:} section of the policy file: the window production periodic work is
 * deferred to, the margin kept before a deadline, and how fast the closing of a queue's window
 * evicts what runs in it. Every default is in {@link #DEFAULT}: no tier window (nothing is
 * deferred but by a pod's own {@code kubeai.io/not-before}), a 10-minute margin, and at most 5
 * closing evictions a minute.
 *
 * <pre>
 * stagger:
 *   safetyMarginSeconds: 600       # a deferred workload starts this long before its deadline needs it
 *   tiers:
 *     prod:                        # production pods marked kubeai.io/periodic=true (the webhook marks
 *       window:                    # CronJob pods) wait for this window unless their deadline needs them earlier
 *         days: []                 # every day
 *         start: "22:00"
 *         end: "06:00"
 *         timeZone: Asia/Shanghai
 *   closingEvictions:              # queues whose Close window has evictRunning: true
 *     intervalSeconds: 60
 *     maxEvictionsPerInterval: 5   # workloads (a gang counts once), cluster-wide
 * </pre>
 */
public record StaggerPolicy(Map<String, TimeWindow> tierWindows, long safetyMarginSeconds, ClosingEvictions closing) {

    /** Evicting what runs in a queue whose window closed: at most {@code maxEvictionsPerInterval} per interval. */
    public record ClosingEvictions(long intervalSeconds, int maxEvictionsPerInterval) {
    }

    public static final StaggerPolicy DEFAULT = new StaggerPolicy(Map.of(), 600, new ClosingEvictions(60, 5));

    public StaggerPolicy {
        tierWindows = Map.copyOf(tierWindows);
        Objects.requireNonNull(closing, "closing");
    }

    /** The window a tier's periodic work is deferred to, if one is configured. */
    public Optional<TimeWindow> window(String tier) {
        return Optional.ofNullable(tierWindows.get(tier));
    }

    /** Core's deferral rule with this section's window and margin. */
    public Stagger stagger() {
        return new Stagger(tierWindows.get(WebhookPolicy.PROD), Duration.ofSeconds(safetyMarginSeconds));
    }

    /** Reads the {@code stagger:} section; errors go to the tree's error list with their paths. */
    static StaggerPolicy read(Tree t) {
        StaggerPolicy d = DEFAULT;
        t.allowOnly("safetyMarginSeconds", "tiers", "closingEvictions");
        long margin = t.integer("safetyMarginSeconds", d.safetyMarginSeconds(), 0, 7 * 24 * 3600);
        Map<String, TimeWindow> windows = new LinkedHashMap<>();
        Tree tiers = t.child("tiers");
        for (String k : tiers.raw().keySet()) {
            if (k.equals(WebhookPolicy.DEV)) {
                // The rule is core's: production periodic work goes off-peak; development follows its queues.
                tiers.error(k, "only production periodic work is deferred by a tier window; give development queues "
                        + "windows of their own (Queue spec.windows, action Scale or Close)");
            } else if (!k.equals(WebhookPolicy.PROD)) {
                tiers.error(k, "unknown tier; expected prod");
            }
        }
        if (tiers.has(WebhookPolicy.PROD)) {
            Tree prod = tiers.child(WebhookPolicy.PROD);
            prod.allowOnly("window");
            if (!prod.has("window")) {
                prod.error("window", "missing; the window production periodic work waits for");
            } else {
                Windows.timeWindow(prod.child("window")).ifPresent(w -> windows.put(WebhookPolicy.PROD, w));
            }
        }
        Tree c = t.child("closingEvictions");
        c.allowOnly("intervalSeconds", "maxEvictionsPerInterval");
        ClosingEvictions closing = new ClosingEvictions(
                c.integer("intervalSeconds", d.closing().intervalSeconds(), 5, 24 * 3600),
                (int) c.integer("maxEvictionsPerInterval", d.closing().maxEvictionsPerInterval(), 0, 10_000));
        return new StaggerPolicy(windows, margin, closing);
    }
}
