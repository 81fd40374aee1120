package io.kubeai.quota;

import io.kubeai.core.queue.QueueTree;
import io.kubeai.core.queue.QuotaLedger;
import io.kubeai.core.resource.ResourceLimits;
import io.kubeai.core.resource.ResourceList;
import io.kubeai.core.workload.Workload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The queue tree with min, max (as the open time window scales them), used, borrowed, lent,
 * lendable, pending and the window that applies now, per queue, from a snapshot. What a queue has
 * lent is its share of what its siblings borrow now: their borrowing is divided among the
 * siblings with unused guarantee in proportion to it (the ledger pools unused guarantee in the
 * parent, so no single lender is recorded). O(queues × resources).
 */
public final class QueueView {

    /** One queue. Quantities as people write them (GPUs, cores, Gi). */
    public record Row(String name, String parent, int depth, Map<String, String> min, Map<String, String> max,
            Map<String, String> used, Map<String, String> borrowed, Map<String, String> lent, Map<String, String> lendable,
            int pendingWorkloads, int admittedWorkloads, String window) {
    }

    private QueueView() {
    }

    public static List<Row> rows(AdmissionController.Snapshot s) {
        QueueTree tree = s.tree();
        QuotaLedger l = s.state().quota();
        Map<String, Integer> pending = new HashMap<>();
        for (Workload w : s.pending()) {
            pending.merge(w.queue(), 1, Integer::sum);
        }
        Map<Integer, Integer> admitted = new HashMap<>();
        s.state().running().forEach(a -> {
            for (int q : tree.path(a.queueIndex())) {
                admitted.merge(q, 1, Integer::sum);
            }
        });
        List<Row> out = new ArrayList<>();
        for (int root : tree.roots()) {
            walk(tree, l, root, 0, pending, admitted, s.windowNow(), out);
        }
        return out;
    }

    private static void walk(QueueTree tree, QuotaLedger l, int q, int depth, Map<String, Integer> pending,
            Map<Integer, Integer> admitted, Map<String, String> windows, List<Row> out) {
        String name = tree.name(q);
        int p = pending.getOrDefault(name, 0);
        for (int leaf : tree.leavesUnder(q)) {
            if (leaf != q) {
                p += pending.getOrDefault(tree.name(leaf), 0);
            }
        }
        out.add(new Row(name, tree.spec(q).parent(), depth, fmt(tree.effectiveMin(q)), fmt(tree.spec(q).max()),
                fmt(l.usage(q)), fmt(l.borrowed(q)), fmt(lent(tree, l, q)), fmt(l.lendable(q)), p,
                admitted.getOrDefault(q, 0), windows.get(name)));
        for (int c : tree.children(q)) {
            walk(tree, l, c, depth + 1, pending, admitted, windows, out);
        }
    }

    /** Queue {@code q}'s share of what its siblings (the other roots, for a root) borrow now. */
    static ResourceList lent(QueueTree tree, QuotaLedger l, int q) {
        int parent = tree.parent(q);
        int[] siblings = parent < 0 ? tree.roots() : tree.children(parent);
        ResourceList own = l.lendable(q);
        Map<String, Long> out = new java.util.TreeMap<>();
        for (int i = 0; i < own.size(); i++) {
            String r = own.name(i);
            long mine = own.value(i);
            long borrowed = 0;
            long lendable = 0;
            for (int s : siblings) {
                lendable += l.lendable(s).get(r);
                if (s != q) {
                    borrowed += l.borrowed(s).get(r);
                }
            }
            long share = lendable == 0 ? 0 : (long) Math.floor((double) mine * Math.min(borrowed, lendable) / lendable);
            if (share > 0) {
                out.put(r, share);
            }
        }
        return out.isEmpty() ? ResourceList.EMPTY : ResourceList.of(out);
    }

    static Map<String, String> fmt(ResourceList r) {
        Map<String, String> m = new java.util.TreeMap<>();
        for (int i = 0; i < r.size(); i++) {
            m.put(r.name(i), ResourceList.format(r.name(i), r.value(i)));
        }
        return m;
    }

    static Map<String, String> fmt(ResourceLimits r) {
        Map<String, String> m = new java.util.TreeMap<>();
        for (String n : r.names()) {
            m.put(n, ResourceList.format(n, r.limit(n)));
        }
        return m;
    }
}
