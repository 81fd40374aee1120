package io.kubeai.kube.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A queue of workloads with a quota ({@code scheduling.kubeai.io/v1alpha1}, cluster-scoped). */
@Group("scheduling.kubeai.io")
@Version("v1alpha1")
@Kind("Queue")
@Plural("queues")
@ShortNames("kq")
@AdditionalPrinterColumn(name = "Parent", jsonPath = ".spec.parent", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "GPUs", jsonPath = ".status.gpus", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Borrowed", jsonPath = ".status.gpusBorrowed", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Admitted", jsonPath = ".status.admittedWorkloads", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Pending", jsonPath = ".status.pendingWorkloads", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Open", jsonPath = ".status.open", type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Window", jsonPath = ".status.window", type = AdditionalPrinterColumn.Type.STRING,
        priority = 1)
public class Queue extends CustomResource<QueueResourceSpec, QueueResourceStatus> {
    private static final long serialVersionUID = 1L;
}
