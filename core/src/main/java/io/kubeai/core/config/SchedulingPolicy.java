package io.kubeai.core.config;

import io.kubeai.core.cycle.CycleConfig;
import io.kubeai.core.placement.PlacementPolicies;
import java.util.ArrayList;
import java.util.List;

/**
 * The one policy configuration ({@code apiVersion: kubeai.io/v1alpha1}, {@code kind:
 * SchedulingPolicy}), read alike by the controller, the extender, the webhook and the
 * simulator. Immutable, with every default in {@link #DEFAULT}; {@link #fromTree} validates a
 * parsed document in one place and reports every error with its path.
 *
 * <pre>
 * apiVersion: kubeai.io/v1alpha1
 * kind: SchedulingPolicy
 * placement:
 *   policy: BestFit            # Random | DotProd | GpuClustering | GpuPacking | BestFit | FGD
 * queueing:
 *   agingIntervalSeconds: 3600 # 0 turns aging off
 *   agingStep: 1
 *   maxAgingBoost: 10
 * preemption:
 *   enabled: true
 *   maxVictims: 16
 *   maxPreemptionsPerCycle: 10
 *   preemptorPrecedenceCycles: 6 # later cycles a preemptor is decided first in; 0 turns it off
 * webhook:                     # the admission webhook's section: see {@link WebhookPolicy}
 *   managedNamespaces: [ml]
 * elastic:                     # elastic capacity and its reclaim: see {@link ElasticPolicy}
 *   enabled: false
 * stagger:                     # deferral to off-peak windows and closing evictions: see {@link StaggerPolicy}
 *   safetyMarginSeconds: 600
 * </pre>
 */
public record SchedulingPolicy(String placementPolicy, CycleConfig cycle, WebhookPolicy webhook,
                               ElasticPolicy elastic, StaggerPolicy stagger) {
    public static final String API_VERSION = "kubeai.io/v1alpha1";
    public static final String KIND = "SchedulingPolicy";
    public static final SchedulingPolicy DEFAULT = new SchedulingPolicy("BestFit", CycleConfig.DEFAULT);

    public SchedulingPolicy {
        java.util.Objects.requireNonNull(webhook, "webhook");
        java.util.Objects.requireNonNull(elastic, "elastic");
        java.util.Objects.requireNonNull(stagger, "stagger");
    }

    /** A policy with the webhook's, the elastic and the stagger section's defaults. */
    public SchedulingPolicy(String placementPolicy, CycleConfig cycle) {
        this(placementPolicy, cycle, WebhookPolicy.DEFAULT, ElasticPolicy.DEFAULT, StaggerPolicy.DEFAULT);
    }

    /** A policy with the stagger section's defaults. */
    public SchedulingPolicy(String placementPolicy, CycleConfig cycle, WebhookPolicy webhook, ElasticPolicy elastic) {
        this(placementPolicy, cycle, webhook, elastic, StaggerPolicy.DEFAULT);
    }

    /** Reads a parsed document (maps, lists, scalars), or throws with every error found. */
    public static SchedulingPolicy fromTree(Object document) {
        List<ValidationError> errors = new ArrayList<>();
        Tree root = Tree.root(document, errors);
        root.allowOnly("apiVersion", "kind", "metadata", "placement", "queueing", "preemption", "webhook", "elastic",
                "stagger");
        String apiVersion = root.string("apiVersion", null);
        if (apiVersion == null) {
            root.error("apiVersion", "missing; expected " + API_VERSION);
        } else if (!apiVersion.equals(API_VERSION)) {
            root.error("apiVersion", "\"" + apiVersion + "\" is not supported; expected " + API_VERSION);
        }
        String kind = root.string("kind", null);
        if (!KIND.equals(kind)) {
            root.error("kind", (kind == null ? "missing" : "\"" + kind + "\" is not " + KIND) + "; expected " + KIND);
        }
        Tree placement = root.child("placement");
        placement.allowOnly("policy");
        String policy = placement.choice("policy", DEFAULT.placementPolicy(), PlacementPolicies.NAMES);

        CycleConfig d = DEFAULT.cycle();
        Tree queueing = root.child("queueing");
        queueing.allowOnly("agingIntervalSeconds", "agingStep", "maxAgingBoost");
        long aging = queueing.integer("agingIntervalSeconds", d.agingIntervalSeconds(), 0, 365L * 24 * 3600);
        int step = (int) queueing.integer("agingStep", d.agingStep(), 0, 1_000_000);
        int boost = (int) queueing.integer("maxAgingBoost", d.maxAgingBoost(), 0, 1_000_000_000);
        Tree preemption = root.child("preemption");
        preemption.allowOnly("enabled", "maxVictims", "maxPreemptionsPerCycle", "preemptorPrecedenceCycles");
        boolean enabled = preemption.bool("enabled", d.preemption());
        int victims = (int) preemption.integer("maxVictims", d.maxVictims(), 0, 10_000);
        int perCycle = (int) preemption.integer("maxPreemptionsPerCycle", d.maxPreemptionsPerCycle(), 0, 100_000);
        int precedence = (int) preemption.integer("preemptorPrecedenceCycles", d.preemptorPrecedenceCycles(), 0, 10_000);
        WebhookPolicy webhook = WebhookPolicy.read(root.child("webhook"));
        ElasticPolicy elastic = ElasticPolicy.read(root.child("elastic"));
        StaggerPolicy stagger = StaggerPolicy.read(root.child("stagger"));
        if (errors.isEmpty() && elastic.enabled()) {
            // The webhook moves requests to the resources the controller publishes; if the names differ,
            // moved pods ask for a resource no node has and never schedule. With the controller's elastic
            // capacity off, another publisher (Koordinator's koordlet, say) may own the names.
            Tree moved = root.child("webhook").child("elastic").child("resources");
            if (!webhook.elastic().cpuResource().equals(elastic.resources().cpu())) {
                moved.error("cpu", "must equal elastic.resources.cpu (" + elastic.resources().cpu() + "), was "
                        + webhook.elastic().cpuResource());
            }
            if (!webhook.elastic().memoryResource().equals(elastic.resources().memory())) {
                moved.error("memory", "must equal elastic.resources.memory (" + elastic.resources().memory()
                        + "), was " + webhook.elastic().memoryResource());
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigValidationException("SchedulingPolicy", errors);
        }
        return new SchedulingPolicy(policy, new CycleConfig(aging, step, boost, enabled, victims, perCycle, precedence),
                webhook,
                elastic, stagger);
    }
}
