package io.kubeai.kube.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A gang of pods admitted all or nothing ({@code scheduling.kubeai.io/v1alpha1}, namespaced). */
@Group("scheduling.kubeai.io")
@Version("v1alpha1")
@Kind("PodGroup")
@Plural("podgroups")
@ShortNames("kpg")
@AdditionalPrinterColumn(name = "Queue", jsonPath = ".spec.queue", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Min", jsonPath = ".spec.minMember", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Message", jsonPath = ".status.message", type = AdditionalPrinterColumn.Type.STRING,
        priority = 1)
public class PodGroup extends CustomResource<PodGroupSpec, PodGroupStatus> implements Namespaced {
    private static final long serialVersionUID = 1L;
}
