package io.kubeai.core.cluster;

/**
 * Whether a pod fits a node and, when it does not, the resource that failed and a sentence a
 * person can act on. Not fitting is a result, not an exception.
 */
public record Fit(FitFailure failure, String reason) {
    public static final Fit FITS = new Fit(null, "fits");

    public static Fit no(FitFailure failure, String reason) {
        return new Fit(failure, reason);
    }

    public boolean fits() {
        return failure == null;
    }
}
