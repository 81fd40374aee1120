package io.kubeai.core.elastic;

/** The three things capacity is lent in: CPU (milli-cores), memory (bytes) and whole GPUs. */
public enum ElasticResource {
    CPU, MEMORY, GPU
}
