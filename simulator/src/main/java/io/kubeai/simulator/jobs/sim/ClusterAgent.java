package io.kubeai.simulator.jobs.sim;

/**
 * Something besides the scheduler that acts on the cluster at a fixed interval, as a controller
 * does live: the elastic-capacity publisher and reclaimer, online services whose usage follows
 * the day. It is called at the start of the run and then every {@link #intervalSeconds()}, after
 * the completions and arrivals of that instant and before its scheduling cycle, while any job
 * is still to arrive, pending or running. It acts only through its {@link AgentContext}. One
 * instance serves one run.
 */
public interface ClusterAgent {

    /** Seconds between two calls, at least 1. */
    long intervalSeconds();

    /** One call at {@link AgentContext#now()}. */
    void act(AgentContext context);

    /** Makes a fresh agent for each run. */
    @FunctionalInterface
    interface Factory {
        ClusterAgent create();
    }
}
