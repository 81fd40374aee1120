package io.kubeai.simulator.jobs.metrics;

/**
 * What happened to one job in one run.
 *
 * @param firstAdmitSeconds when it first passed admission (quota, or its first pod bound); -1 never
 * @param firstStartSeconds when all its pods first ran; -1 never
 * @param endSeconds when it completed or failed; -1 if it did neither
 * @param queueingDelaySeconds first start − submit; for a job that never started, how long it had
 *     waited when it failed or the run ended (a lower bound: see {@code started})
 * @param completionSeconds end − submit for a completed job; -1 otherwise
 * @param starts how many times all its pods ran (restarts are {@code starts − 1})
 * @param evictions how many times it was evicted (preempted or reclaimed)
 * @param wastedGpuSeconds GPU-seconds of progress lost to evictions
 * @param heldIdleGpuSeconds GPU-seconds its pods held while the job could not run (a partial gang)
 * @param deadlocked whether it was found holding some of its pods with no way to get the rest
 */
public record JobRecord(
        String id,
        String queue,
        String tier,
        int priority,
        int pods,
        long gpuMillisPerPod,
        long submitSeconds,
        long durationSeconds,
        long firstAdmitSeconds,
        long firstStartSeconds,
        long endSeconds,
        Outcome outcome,
        boolean started,
        long queueingDelaySeconds,
        long completionSeconds,
        int starts,
        int evictions,
        double wastedGpuSeconds,
        double heldIdleGpuSeconds,
        boolean deadlocked,
        long deadlockedAtSeconds,
        String failure) {

    /** How a job's run ended. */
    public enum Outcome {
        DONE,
        FAILED,
        UNFINISHED
    }

    public int restarts() {
        return Math.max(0, starts - 1);
    }

    public boolean preempted() {
        return evictions > 0;
    }

    public long gpuMillis() {
        return gpuMillisPerPod * pods;
    }
}
