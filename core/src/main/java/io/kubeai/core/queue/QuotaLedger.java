package io.kubeai.core.queue;

import io.kubeai.core.resource.ResourceList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * What each queue holds, and whether more fits. Hierarchical quota, in the spirit of Kueue's
 * cohorts:
 *
 * <ul>
 *   <li>a queue's usage never exceeds its {@code max} (nor its ancestors');
 *   <li>a queue's <em>demand</em> on its parent is its usage, but at least the part of its min it
 *       does not lend ({@code min − lendingLimit}); a parent's demand is the sum of its
 *       children's. Unused min below that is lendable: siblings may borrow it;
 *   <li>what a queue demands beyond its min is borrowed and may not exceed its
 *       {@code borrowingLimit};
 *   <li>the top-level demands together never exceed the cluster's capacity.
 * </ul>
 *
 * A request that fails only the capacity check while its leaf stays within its min is
 * <em>reclaimable</em>: others are borrowing its guarantee. O(depth × resources) per check
 * or update. Not thread-safe; {@link #copy()} for a snapshot.
 */
public final class QuotaLedger {
    private final QueueTree tree;
    private final String[] dims;
    private final Map<String, Integer> dimIndex = new HashMap<>();
    private final long[] capacity;
    private final long[][] min;
    private final long[][] max;
    private final long[][] borrowLimit;
    private final long[][] reserved;
    private final long[][] usage;
    private final long[][] demand;
    private final long[][] childDemand;
    private final long[] topDemand;

    public QuotaLedger(QueueTree tree, ResourceList clusterCapacity) {
        this.tree = tree;
        TreeSet<String> names = new TreeSet<>();
        names.add(ResourceList.CPU);
        names.add(ResourceList.MEMORY);
        names.add(ResourceList.GPU);
        names.addAll(Arrays.asList(clusterCapacity.names()));
        for (int q = 0; q < tree.size(); q++) {
            QueueSpec s = tree.spec(q);
            names.addAll(Arrays.asList(tree.effectiveMin(q).names()));
            names.addAll(Arrays.asList(s.max().names()));
            names.addAll(Arrays.asList(s.borrowingLimit().names()));
            names.addAll(Arrays.asList(s.lendingLimit().names()));
        }
        this.dims = names.toArray(new String[0]);
        for (int d = 0; d < dims.length; d++) {
            dimIndex.put(dims[d], d);
        }
        int n = tree.size();
        this.capacity = vector(clusterCapacity);
        this.min = new long[n][];
        this.max = new long[n][dims.length];
        this.borrowLimit = new long[n][dims.length];
        this.reserved = new long[n][dims.length];
        for (int q = 0; q < n; q++) {
            QueueSpec s = tree.spec(q);
            min[q] = vector(tree.effectiveMin(q));
            for (int d = 0; d < dims.length; d++) {
                max[q][d] = s.max().limit(dims[d]);
                borrowLimit[q][d] = s.borrowingLimit().limit(dims[d]);
                long lend = s.lendingLimit().limit(dims[d]);
                reserved[q][d] = lend == Long.MAX_VALUE ? 0 : Math.max(0, min[q][d] - lend);
            }
        }
        this.usage = new long[n][dims.length];
        this.demand = new long[n][dims.length];
        this.childDemand = new long[n][dims.length];
        this.topDemand = new long[dims.length];
        // An idle queue still demands what it does not lend.
        for (int q = n - 1; q >= 0; q--) {
            for (int d = 0; d < dims.length; d++) {
                demand[q][d] = Math.max(childDemand[q][d], reserved[q][d]);
            }
            int p = tree.parent(q);
            long[] target = p < 0 ? topDemand : childDemand[p];
            for (int d = 0; d < dims.length; d++) {
                target[d] += demand[q][d];
            }
        }
    }

    private QuotaLedger(QuotaLedger o) {
        this.tree = o.tree;
        this.dims = o.dims;
        this.dimIndex.putAll(o.dimIndex);
        this.capacity = o.capacity;
        this.min = o.min;
        this.max = o.max;
        this.borrowLimit = o.borrowLimit;
        this.reserved = o.reserved;
        this.usage = deepCopy(o.usage);
        this.demand = deepCopy(o.demand);
        this.childDemand = deepCopy(o.childDemand);
        this.topDemand = o.topDemand.clone();
    }

    private static long[][] deepCopy(long[][] a) {
        long[][] out = new long[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }

    public QuotaLedger copy() {
        return new QuotaLedger(this);
    }

    public QueueTree tree() {
        return tree;
    }

    /** A request as a vector over this ledger's resources; resources no quota names are ignored. */
    public long[] vector(ResourceList r) {
        long[] v = new long[dims.length];
        for (int i = 0; i < r.size(); i++) {
            Integer d = dimIndex.get(r.name(i));
            if (d != null) {
                v[d] = r.value(i);
            }
        }
        return v;
    }

    /** Whether {@code request} fits queue {@code leaf} now, and if not, why. Does not change anything. */
    public QuotaFit check(int leaf, ResourceList request) {
        return check(leaf, vector(request));
    }

    public QuotaFit check(int leaf, long[] r) {
        int[] path = tree.path(leaf);
        // 1. No queue on the path above its max.
        for (int q : path) {
            for (int d = 0; d < dims.length; d++) {
                if (r[d] > 0 && usage[q][d] + r[d] > max[q][d]) {
                    return new QuotaFit(QuotaFit.Kind.MAX, tree.name(q), dims[d], usage[q][d], max[q][d], r[d], false);
                }
            }
        }
        // 2. Demands up the path: borrowing limits, then the cluster.
        long[] newDemand = new long[dims.length];
        long[] oldDemand = new long[dims.length];
        QuotaFit borrowing = null;
        for (int i = 0; i < path.length; i++) {
            int q = path[i];
            for (int d = 0; d < dims.length; d++) {
                long base = i == 0 ? usage[q][d] + r[d] : childDemand[q][d] - oldDemand[d] + newDemand[d];
                long nd = Math.max(base, reserved[q][d]);
                oldDemand[d] = demand[q][d];
                newDemand[d] = nd;
                if (r[d] > 0 && nd > min[q][d]) {
                    if (borrowLimit[q][d] != Long.MAX_VALUE && nd - min[q][d] > borrowLimit[q][d] && borrowing == null) {
                        borrowing = new QuotaFit(QuotaFit.Kind.BORROWING_LIMIT, tree.name(q), dims[d],
                                nd - r[d], min[q][d] + borrowLimit[q][d], r[d], false);
                    }
                }
            }
        }
        if (borrowing != null) {
            return borrowing;
        }
        for (int d = 0; d < dims.length; d++) {
            long top = topDemand[d] - oldDemand[d] + newDemand[d];
            if (r[d] > 0 && top > capacity[d]) {
                long held = top - r[d];
                boolean reclaimable = min[leaf][d] > 0 && withinGuarantee(leaf, r);
                return new QuotaFit(QuotaFit.Kind.CAPACITY, tree.name(leaf), dims[d], Math.min(held, capacity[d]),
                        capacity[d], r[d], reclaimable);
            }
        }
        return QuotaFit.FITS;
    }

    /**
     * Whether admitting {@code r} to {@code leaf} keeps the leaf within its min in every
     * guaranteed resource {@code r} uses (one the leaf has a min for), with at least one such
     * resource: then it asks only for what it is guaranteed, and capacity others borrow may be
     * reclaimed for it. Resources without a min guarantee nothing and are not counted. Only the
     * leaf counts: its ancestors may be above their min because the leaf's siblings borrow the
     * leaf's own guarantee, and that is exactly what it reclaims. (Validation keeps children's
     * min within their parent's.)
     */
    public boolean withinGuarantee(int leaf, long[] r) {
        boolean guaranteed = false;
        for (int d = 0; d < dims.length; d++) {
            if (r[d] > 0 && min[leaf][d] > 0) {
                guaranteed = true;
                if (usage[leaf][d] + r[d] > min[leaf][d]) {
                    return false;
                }
            }
        }
        return guaranteed;
    }

    /** Charges {@code request} to a leaf queue (and its ancestors). */
    public void add(int leaf, ResourceList request) {
        apply(leaf, vector(request), 1);
    }

    /** Releases what {@link #add} charged. */
    public void remove(int leaf, ResourceList request) {
        apply(leaf, vector(request), -1);
    }

    private void apply(int leaf, long[] r, int sign) {
        int[] path = tree.path(leaf);
        for (int q : path) {
            for (int d = 0; d < dims.length; d++) {
                long u = usage[q][d] + sign * r[d];
                if (u < 0) {
                    throw new IllegalStateException("queue " + tree.name(q) + " would hold negative " + dims[d]);
                }
                usage[q][d] = u;
            }
        }
        long[] delta = new long[dims.length];
        for (int i = 0; i < path.length; i++) {
            int q = path[i];
            for (int d = 0; d < dims.length; d++) {
                long base = i == 0 ? usage[q][d] : childDemand[q][d];
                if (i > 0) {
                    base = childDemand[q][d] += delta[d];
                }
                long nd = Math.max(base, reserved[q][d]);
                delta[d] = nd - demand[q][d];
                demand[q][d] = nd;
            }
        }
        for (int d = 0; d < dims.length; d++) {
            topDemand[d] += delta[d];
        }
    }

    public ResourceList usage(int queue) {
        return list(usage[queue]);
    }

    /** What the queue takes beyond its guarantee from its parent now. */
    public ResourceList borrowed(int queue) {
        long[] b = new long[dims.length];
        for (int d = 0; d < dims.length; d++) {
            b[d] = Math.max(0, demand[queue][d] - min[queue][d]);
        }
        return list(b);
    }

    /** Whether the queue takes more than its guarantee in a resource {@code request} also uses. */
    public boolean borrowsAny(int queue, long[] of) {
        for (int d = 0; d < dims.length; d++) {
            if (of[d] > 0 && demand[queue][d] > min[queue][d]) {
                return true;
            }
        }
        return false;
    }

    /** Unused guarantee the queue lends to others now: its min less its demand. */
    public ResourceList lendable(int queue) {
        long[] b = new long[dims.length];
        for (int d = 0; d < dims.length; d++) {
            b[d] = Math.max(0, min[queue][d] - demand[queue][d]);
        }
        return list(b);
    }

    /** Whether removing {@code held} from the queue keeps it at or above its min in every resource it holds. */
    public boolean staysAtOrAboveMin(int queue, long[] held) {
        return staysAtOrAboveMin(queue, held, new long[dims.length]);
    }

    /**
     * Whether removing {@code held} from the queue, once {@code leaving} (what workloads already
     * chosen to leave it hold) has left too, keeps it at or above its min in every resource
     * {@code held} holds.
     */
    public boolean staysAtOrAboveMin(int queue, long[] held, long[] leaving) {
        for (int d = 0; d < dims.length; d++) {
            if (held[d] > 0 && usage[queue][d] - leaving[d] - held[d] < min[queue][d]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Weighted dominant share: the largest fraction of the cluster's capacity the queue holds in
     * any resource, divided by its weight. Lower goes first in fair sharing.
     */
    public double dominantShare(int queue) {
        double share = 0;
        for (int d = 0; d < dims.length; d++) {
            if (capacity[d] > 0) {
                share = Math.max(share, (double) usage[queue][d] / capacity[d]);
            }
        }
        return share / tree.spec(queue).weight();
    }

    public ResourceList capacity() {
        return list(capacity);
    }

    /** Resource names this ledger accounts, sorted. */
    public String[] resources() {
        return dims.clone();
    }

    private ResourceList list(long[] v) {
        Map<String, Long> m = new HashMap<>();
        for (int d = 0; d < dims.length; d++) {
            if (v[d] != 0) {
                m.put(dims[d], v[d]);
            }
        }
        return ResourceList.of(m);
    }
}
