package io.kubeai.core.queue;

import io.kubeai.core.resource.ResourceList;

/**
 * Whether a request fits a queue's quota now and, when not, which limit it hits, where, and
 * whether borrowed capacity could be reclaimed for it.
 */
public record QuotaFit(Kind kind, String queue, String resource, long inUse, long limit, long requested,
        boolean reclaimable) {

    public enum Kind {
        /** Fits every limit on the path to the cluster. */
        FITS,
        /** A queue on the path would go above its max. */
        MAX,
        /** A queue on the path would borrow more than its borrowing limit. */
        BORROWING_LIMIT,
        /** The cluster's capacity is held; {@code reclaimable} when the request is within guarantees. */
        CAPACITY
    }

    public static final QuotaFit FITS = new QuotaFit(Kind.FITS, null, null, 0, 0, 0, false);

    /** Whether no amount of waiting helps: the request exceeds the limit itself. */
    public boolean never() {
        return (kind == Kind.MAX || kind == Kind.CAPACITY) && requested > limit;
    }

    public boolean fits() {
        return kind == Kind.FITS;
    }

    /** A sentence a person can act on. */
    public String reason() {
        String r = resource == null ? "" : resource;
        return switch (kind) {
            case FITS -> "fits quota";
            case MAX -> "queue " + queue + (inUse >= limit ? " is at max for " : " would go above its max for ") + r
                    + ": " + fmt(r, inUse) + "/" + fmt(r, limit) + " in use, the workload needs " + fmt(r, requested);
            case BORROWING_LIMIT -> "queue " + queue + " would hold " + fmt(r, inUse + requested) + " " + r
                    + ", more than its min and borrowing limit allow (" + fmt(r, limit) + " in all)";
            case CAPACITY -> requested > limit
                    ? "the whole cluster has " + fmt(r, limit) + " " + r + ", the workload needs " + fmt(r, requested)
                    : "the cluster's " + r + (inUse >= limit ? " is all held: " : " is held: ") + fmt(r, inUse)
                    + "/" + fmt(r, limit)
                    + ", the workload needs " + fmt(r, requested)
                    + (reclaimable ? "; queue " + queue + " is within its min, so it may reclaim capacity others borrow"
                            : "; it waits for capacity to free up");
        };
    }

    private static String fmt(String r, long v) {
        return ResourceList.format(r, v);
    }
}
