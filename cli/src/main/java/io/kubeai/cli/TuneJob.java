package io.kubeai.cli;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Kubernetes objects that run a tuning search's shards on a cluster: a ConfigMap with the
 * space, the current policy and (when small enough) the trace, and a {@code batch/v1} Indexed Job
 * with one completion per shard. Each pod runs {@code kubeai simulate tune … --shards N} and takes
 * its shard from {@code JOB_COMPLETION_INDEX}; results go to a shared claim, to be merged with
 * {@code --collect}.
 */
final class TuneJob {
    static final String SPACE_KEY = "space.yaml";
    static final String POLICY_KEY = "policy.yaml";
    /** A ConfigMap holds at most 1 MiB; leave room for the space and the policy. */
    static final int MAX_TRACE_BYTES = 900 * 1024;
    private static final Pattern CONFIG_MAP_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    /**
     * @param name the Job's name; the ConfigMap is {@code name-input}
     * @param namespace where both go
     * @param image the kubeai image
     * @param shards completions, one per shard
     * @param parallelism shards running at once
     * @param resultsClaim the PersistentVolumeClaim mounted at /results
     * @param traceClaim a claim holding the trace, mounted at /trace, or null when the trace is in the ConfigMap
     * @param cpu each shard's CPU request and limit
     * @param memory each shard's memory request and limit
     */
    record Spec(String name, String namespace, String image, int shards, int parallelism, String resultsClaim,
            String traceClaim, String cpu, String memory) {
    }

    private TuneJob() {
    }

    static ConfigMap configMap(Spec spec, String spaceYaml, String policyYaml, String traceName, String traceText) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(SPACE_KEY, spaceYaml);
        data.put(POLICY_KEY, policyYaml);
        if (traceText != null) {
            data.put(traceName, traceText);
        }
        return new ConfigMapBuilder()
                .withNewMetadata().withName(spec.name() + "-input").withNamespace(spec.namespace())
                .addToLabels("app.kubernetes.io/name", "kubeai-tune").addToLabels("kubeai.io/tune", spec.name())
                .endMetadata()
                .withData(data)
                .build();
    }

    static Job job(Spec spec, List<String> args) {
        VolumeBuilder results = new VolumeBuilder().withName("results");
        results.withNewPersistentVolumeClaim().withClaimName(spec.resultsClaim()).endPersistentVolumeClaim();
        List<io.fabric8.kubernetes.api.model.Volume> volumes = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName("input").withNewConfigMap().withName(spec.name() + "-input")
                .endConfigMap().build());
        volumes.add(results.build());
        List<io.fabric8.kubernetes.api.model.VolumeMount> mounts = new ArrayList<>();
        mounts.add(new VolumeMountBuilder().withName("input").withMountPath(SimulateTuneCommand.CONFIG_MOUNT)
                .withReadOnly(true).build());
        mounts.add(new VolumeMountBuilder().withName("results").withMountPath(SimulateTuneCommand.RESULTS_MOUNT).build());
        if (spec.traceClaim() != null) {
            volumes.add(new VolumeBuilder().withName("trace").withNewPersistentVolumeClaim()
                    .withClaimName(spec.traceClaim()).withReadOnly(true).endPersistentVolumeClaim().build());
            mounts.add(new VolumeMountBuilder().withName("trace").withMountPath(SimulateTuneCommand.TRACE_MOUNT)
                    .withReadOnly(true).build());
        }
        Map<String, Quantity> resources = Map.of("cpu", new Quantity(spec.cpu()), "memory", new Quantity(spec.memory()));
        return new JobBuilder()
                .withNewMetadata().withName(spec.name()).withNamespace(spec.namespace())
                .addToLabels("app.kubernetes.io/name", "kubeai-tune").addToLabels("kubeai.io/tune", spec.name())
                .endMetadata()
                .withNewSpec()
                .withCompletionMode("Indexed")
                .withCompletions(spec.shards())
                .withParallelism(spec.parallelism())
                .withBackoffLimit(2 * spec.shards())
                .withNewTemplate()
                .withNewMetadata().addToLabels("app.kubernetes.io/name", "kubeai-tune")
                .addToLabels("kubeai.io/tune", spec.name()).endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withNewSecurityContext().withRunAsNonRoot(true).endSecurityContext()
                .addNewContainer()
                .withName("tune")
                .withImage(spec.image())
                .withArgs(args)
                // Kubernetes sets it in Indexed Jobs; written out so the shard's source is plain to read
                .addNewEnv().withName("JOB_COMPLETION_INDEX").withNewValueFrom().withNewFieldRef()
                .withFieldPath("metadata.annotations['batch.kubernetes.io/job-completion-index']").endFieldRef()
                .endValueFrom().endEnv()
                .withNewResources().withRequests(resources).withLimits(resources).endResources()
                .withVolumeMounts(mounts)
                .endContainer()
                .withVolumes(volumes)
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** Both objects as one YAML stream, after checking names, the trace's size and the resource quantities. */
    static String yaml(Spec spec, List<String> args, String spaceYaml, String policyYaml, String traceName,
            String traceText) {
        check(spec, traceName, traceText);
        KubernetesSerialization s = new KubernetesSerialization();
        return s.asYaml(configMap(spec, spaceYaml, policyYaml, traceName, traceText)) + s.asYaml(job(spec, args));
    }

    private static void check(Spec spec, String traceName, String traceText) {
        List<String> errors = new ArrayList<>();
        if (spec.name().length() > 56 || !DNS_LABEL.matcher(spec.name()).matches()) {
            errors.add("--job-name \"" + spec.name() + "\" must be a DNS label of at most 56 characters "
                    + "(lower-case letters, digits, '-')");
        }
        if (!DNS_LABEL.matcher(spec.namespace()).matches()) {
            errors.add("--namespace \"" + spec.namespace() + "\" is not a namespace name");
        }
        if (spec.parallelism() < 1) {
            errors.add("--parallelism must be at least 1, was " + spec.parallelism());
        }
        for (String[] q : new String[][] {{"--cpu", spec.cpu()}, {"--memory", spec.memory()}}) {
            try {
                if (Quantity.getAmountInBytes(new Quantity(q[1])).signum() <= 0) {
                    errors.add(q[0] + " must be above 0, was " + q[1]);
                }
            } catch (IllegalArgumentException e) {
                errors.add(q[0] + " \"" + q[1] + "\" is not a Kubernetes quantity");
            }
        }
        if (traceText != null) {
            if (!CONFIG_MAP_KEY.matcher(traceName).matches() || traceName.equals(SPACE_KEY)
                    || traceName.equals(POLICY_KEY)) {
                errors.add("the trace's file name \"" + traceName + "\" cannot be a ConfigMap key beside " + SPACE_KEY
                        + " and " + POLICY_KEY + "; rename it to letters, digits, '-', '_' and '.'");
            }
            int bytes = traceText.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_TRACE_BYTES) {
                errors.add("the trace has " + bytes + " bytes, more than a ConfigMap holds (" + MAX_TRACE_BYTES
                        + "); put it on a volume and pass --trace-claim PVC");
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
    }
}
