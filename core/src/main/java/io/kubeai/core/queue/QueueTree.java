package io.kubeai.core.queue;

import io.kubeai.core.config.ConfigValidationException;
import io.kubeai.core.config.ValidationError;
import io.kubeai.core.resource.ResourceList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A validated hierarchy of queues. Top-level queues hang under the cluster (a virtual root whose
 * min is the cluster's capacity). Workloads are submitted to leaves; a parent's min, where it
 * does not name a resource, is the sum of its children's. Immutable; queues are addressed by a
 * dense index, parents before children.
 */
public final class QueueTree {
    private final List<QueueSpec> specs;
    private final Map<String, Integer> index;
    private final int[] parent;
    private final int[][] children;
    private final ResourceList[] effectiveMin;

    private QueueTree(List<QueueSpec> ordered) {
        this.specs = List.copyOf(ordered);
        this.index = new HashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            index.put(specs.get(i).name(), i);
        }
        this.parent = new int[specs.size()];
        List<List<Integer>> kids = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            kids.add(new ArrayList<>());
        }
        for (int i = 0; i < specs.size(); i++) {
            String p = specs.get(i).parent();
            parent[i] = p == null ? -1 : index.get(p);
            if (parent[i] >= 0) {
                kids.get(parent[i]).add(i);
            }
        }
        this.children = new int[specs.size()][];
        for (int i = 0; i < specs.size(); i++) {
            children[i] = kids.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        this.effectiveMin = new ResourceList[specs.size()];
        for (int i = specs.size() - 1; i >= 0; i--) { // children come after parents
            ResourceList sum = ResourceList.EMPTY;
            for (int c : children[i]) {
                sum = sum.plus(effectiveMin[c]);
            }
            ResourceList own = specs.get(i).min();
            // Resources the queue names come from its spec; the rest from its children.
            effectiveMin[i] = own.plus(sum.minusClamped(maskTo(sum, own)));
        }
    }

    /** The part of {@code sum} for resources that {@code own} names. */
    private static ResourceList maskTo(ResourceList sum, ResourceList own) {
        Map<String, Long> m = new HashMap<>();
        for (int i = 0; i < sum.size(); i++) {
            if (own.has(sum.name(i))) {
                m.put(sum.name(i), sum.value(i));
            }
        }
        return ResourceList.of(m);
    }

    /** Builds the tree, or throws with every error found. */
    public static QueueTree of(List<QueueSpec> queues) {
        List<ValidationError> errors = validate(queues);
        if (!errors.isEmpty()) {
            throw new ConfigValidationException("queue configuration", errors);
        }
        // Order parents before children.
        Map<String, QueueSpec> byName = new HashMap<>();
        queues.forEach(q -> byName.put(q.name(), q));
        List<QueueSpec> ordered = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        while (ordered.size() < queues.size()) {
            for (QueueSpec q : queues) {
                if (!placed.contains(q.name()) && (q.parent() == null || placed.contains(q.parent()))) {
                    ordered.add(q);
                    placed.add(q.name());
                }
            }
        }
        return new QueueTree(ordered);
    }

    /** Every error of a queue configuration, each with its path; empty when it is valid. */
    public static List<ValidationError> validate(List<QueueSpec> queues) {
        List<ValidationError> errors = new ArrayList<>();
        Map<String, QueueSpec> byName = new HashMap<>();
        for (int i = 0; i < queues.size(); i++) {
            QueueSpec q = queues.get(i);
            if (q.name().isBlank()) {
                errors.add(new ValidationError("queues[" + i + "].name", "must not be blank"));
            } else if (byName.putIfAbsent(q.name(), q) != null) {
                errors.add(new ValidationError("queues[" + i + "].name", "duplicate queue \"" + q.name() + "\""));
            }
        }
        Map<String, ResourceList> effective = effectiveMins(queues, byName);
        for (QueueSpec q : queues) {
            String at = "queues[" + q.name() + "]";
            if (q.parent() != null && !byName.containsKey(q.parent())) {
                errors.add(new ValidationError(at + ".parent", "unknown queue \"" + q.parent() + "\"; known queues are "
                        + new TreeSet<>(byName.keySet())));
            }
            if (q.weight() < 1) {
                errors.add(new ValidationError(at + ".weight", "must be at least 1, was " + q.weight()));
            }
            for (int i = 0; i < q.min().size(); i++) {
                String r = q.min().name(i);
                long min = q.min().value(i);
                if (min > q.max().limit(r)) {
                    errors.add(new ValidationError(at + ".min." + r, ResourceList.format(r, min)
                            + " is above max " + ResourceList.format(r, q.max().limit(r))));
                }
            }
            // A parent lends from its effective min: its own, or its children's sum where it names none.
            ResourceList guaranteed = byName.get(q.name()) == q ? effective.get(q.name()) : q.min();
            for (String r : q.lendingLimit().names()) {
                long lend = q.lendingLimit().limit(r);
                if (lend > guaranteed.get(r)) {
                    errors.add(new ValidationError(at + ".lendingLimit." + r, ResourceList.format(r, lend)
                            + " is above min " + ResourceList.format(r, guaranteed.get(r))
                            + "; a queue lends only its min"));
                }
            }
        }
        // Cycles: walk up from each queue.
        Set<String> reported = new HashSet<>();
        for (QueueSpec q : queues) {
            LinkedHashSet<String> path = new LinkedHashSet<>();
            String cur = q.name();
            while (cur != null && byName.containsKey(cur) && path.add(cur)) {
                cur = byName.get(cur).parent();
            }
            if (cur != null && path.contains(cur) && reported.add(cur)) {
                List<String> cycle = new ArrayList<>();
                boolean in = false;
                for (String s : path) {
                    in |= s.equals(cur);
                    if (in) {
                        cycle.add(s);
                    }
                }
                cycle.add(cur);
                errors.add(new ValidationError("queues[" + cur + "].parent", "cycle " + String.join(" → ", cycle)));
                reported.addAll(cycle);
            }
        }
        // Children's guarantees (their effective min) must fit in the parent's, for every resource
        // the parent names, and below its max for the resources it leaves to them.
        for (QueueSpec p : queues) {
            ResourceList sum = ResourceList.EMPTY;
            for (QueueSpec c : queues) {
                if (p.name().equals(c.parent()) && byName.get(c.name()) == c) {
                    sum = sum.plus(effective.getOrDefault(c.name(), c.min()));
                }
            }
            for (int i = 0; i < sum.size(); i++) {
                String r = sum.name(i);
                if (p.min().has(r) && sum.value(i) > p.min().get(r)) {
                    errors.add(new ValidationError("queues[" + p.name() + "].min." + r, "children's min sum to "
                            + ResourceList.format(r, sum.value(i)) + ", above this queue's "
                            + ResourceList.format(r, p.min().get(r))));
                } else if (!p.min().has(r) && sum.value(i) > p.max().limit(r)) {
                    errors.add(new ValidationError("queues[" + p.name() + "].min." + r, "children's min sum to "
                            + ResourceList.format(r, sum.value(i)) + ", above max "
                            + ResourceList.format(r, p.max().limit(r))));
                }
            }
        }
        return errors;
    }

    /**
     * Each queue's effective min (its own, and its children's sum for what it does not name), as
     * far as the configuration allows: a queue on a cycle counts only its own min.
     */
    private static Map<String, ResourceList> effectiveMins(List<QueueSpec> queues, Map<String, QueueSpec> byName) {
        Map<String, List<QueueSpec>> kids = new HashMap<>();
        for (QueueSpec q : queues) {
            if (q.parent() != null && byName.get(q.name()) == q) {
                kids.computeIfAbsent(q.parent(), k -> new ArrayList<>()).add(q);
            }
        }
        Map<String, ResourceList> out = new HashMap<>();
        for (QueueSpec q : byName.values()) {
            effectiveMin(q, kids, out, new HashSet<>());
        }
        return out;
    }

    private static ResourceList effectiveMin(QueueSpec q, Map<String, List<QueueSpec>> kids,
            Map<String, ResourceList> done, Set<String> visiting) {
        ResourceList known = done.get(q.name());
        if (known != null) {
            return known;
        }
        if (!visiting.add(q.name())) {
            return q.min();
        }
        ResourceList sum = ResourceList.EMPTY;
        for (QueueSpec c : kids.getOrDefault(q.name(), List.of())) {
            sum = sum.plus(effectiveMin(c, kids, done, visiting));
        }
        ResourceList own = q.min();
        ResourceList result = own.plus(sum.minusClamped(maskTo(sum, own)));
        done.put(q.name(), result);
        return result;
    }

    public int size() {
        return specs.size();
    }

    public QueueSpec spec(int queue) {
        return specs.get(queue);
    }

    public String name(int queue) {
        return specs.get(queue).name();
    }

    public Optional<Integer> indexOf(String name) {
        return Optional.ofNullable(index.get(name));
    }

    /** Parent index, -1 for a top-level queue. */
    public int parent(int queue) {
        return parent[queue];
    }

    public int[] children(int queue) {
        return children[queue].clone();
    }

    public boolean isLeaf(int queue) {
        return children[queue].length == 0;
    }

    /** The guarantee: the spec's min, and the children's sum for resources it does not name. */
    public ResourceList effectiveMin(int queue) {
        return effectiveMin[queue];
    }

    /** Top-level queues. */
    public int[] roots() {
        return java.util.stream.IntStream.range(0, specs.size()).filter(i -> parent[i] < 0).toArray();
    }

    /** The queue and its ancestors, leaf first. */
    public int[] path(int queue) {
        int depth = 0;
        for (int q = queue; q >= 0; q = parent[q]) {
            depth++;
        }
        int[] out = new int[depth];
        int i = 0;
        for (int q = queue; q >= 0; q = parent[q]) {
            out[i++] = q;
        }
        return out;
    }

    /** Leaves of the subtree under {@code queue} (itself when it is a leaf). */
    public List<Integer> leavesUnder(int queue) {
        List<Integer> out = new ArrayList<>();
        collect(queue, out);
        return out;
    }

    private void collect(int q, List<Integer> out) {
        if (children[q].length == 0) {
            out.add(q);
        }
        for (int c : children[q]) {
            collect(c, out);
        }
    }

    public List<String> names() {
        return specs.stream().map(QueueSpec::name).toList();
    }
}
