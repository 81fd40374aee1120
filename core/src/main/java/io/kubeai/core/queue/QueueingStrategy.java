package io.kubeai.core.queue;

/** What a queue does when its head cannot be admitted. */
public enum QueueingStrategy {
    /** Nothing behind the head is admitted until the head is: strict order, big jobs never starve. */
    STRICT_FIFO,
    /** Work behind a blocked head may go first when it fits: better utilisation. */
    BEST_EFFORT_FIFO
}
