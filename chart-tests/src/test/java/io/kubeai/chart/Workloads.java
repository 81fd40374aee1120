package io.kubeai.chart;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;

/** Short ways into the rendered Deployments. */
final class Workloads {
    private Workloads() {
    }

    static Deployment deployment(Rendered rendered, String name) {
        return rendered.one("Deployment", name, Deployment.class);
    }

    static PodSpec podSpec(Rendered rendered, String name) {
        return deployment(rendered, name).getSpec().getTemplate().getSpec();
    }

    static Container container(Rendered rendered, String name) {
        List<Container> containers = podSpec(rendered, name).getContainers();
        if (containers.size() != 1) {
            throw new AssertionError(name + " has " + containers.size() + " containers, expected one");
        }
        return containers.get(0);
    }

    static List<String> args(Rendered rendered, String name) {
        return container(rendered, name).getArgs();
    }

    /** The value of {@code --flag=value} among the container's arguments, or null. */
    static String flag(Rendered rendered, String name, String flag) {
        return args(rendered, name).stream().filter(a -> a.startsWith(flag + "=")).map(a -> a.substring(flag.length() + 1))
                .findFirst().orElse(null);
    }
}
