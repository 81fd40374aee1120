package io.kubeai.simulator.jobs.online;

import io.kubeai.core.config.WebhookPolicy;
import io.kubeai.core.resource.ExtendedResources;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.simulator.jobs.JobSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the admission webhook does to a job's pods before the scheduler sees them, by the rule of
 * its {@code elastic:} section: a single pod of one of its tiers, without GPUs, at or below both
 * small thresholds has its CPU and memory requests moved to the elastic resources; everything
 * else keeps regular capacity (the trace's jobs ask for none, so "large back to regular" has
 * nothing to move). The same test as the webhook's ({@code WebhookPolicy.Elastic#sizesFor}, per queue); gangs
 * are not moved, since a gang evicted a pod at a time would lose the whole gang's work. O(jobs).
 */
public final class ElasticSteering {
    private ElasticSteering() {
    }

    /** Whether the webhook would put the job on elastic capacity. */
    public static boolean small(JobSpec job, WebhookPolicy.Elastic rule) {
        PodRequest r = job.podRequest();
        return rule.tiers().contains(job.tier()) && job.pods() == 1 && r.gpuCount() == 0
                && (r.cpuMillis() > 0 || r.memoryBytes() > 0) && rule.sizesFor(job.queue()).small(r.cpuMillis(), r.memoryBytes());
    }

    /** The jobs as the webhook leaves them: small ones on elastic capacity. */
    public static List<JobSpec> steer(List<JobSpec> jobs, WebhookPolicy.Elastic rule) {
        List<JobSpec> out = new ArrayList<>(jobs.size());
        for (JobSpec j : jobs) {
            if (small(j, rule)) {
                PodRequest r = j.podRequest();
                out.add(j.withPodRequest(new PodRequest(0, 0, 0, 0, r.gpuModels(), ExtendedResources.of(
                        Map.of(rule.cpuResource(), r.cpuMillis(), rule.memoryResource(), r.memoryBytes())))));
            } else {
                out.add(j);
            }
        }
        return out;
    }
}
