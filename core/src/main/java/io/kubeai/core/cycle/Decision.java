package io.kubeai.core.cycle;

import io.kubeai.core.workload.PlannedPod;
import io.kubeai.core.workload.Workload;
import java.util.List;

/**
 * What a scheduling cycle decided for one pending workload. Values only: adapters (the
 * controller, the simulator) perform what they say.
 */
public sealed interface Decision {
    Workload workload();

    /** Admitted: every planned pod may now be bound to its node. */
    record Admit(Workload workload, List<PlannedPod> pods) implements Decision {
        public Admit {
            pods = List.copyOf(pods);
        }
    }

    /** The workload fits only if these running workloads leave; it waits for them. */
    record Preempt(Workload workload, List<Victim> victims, String reason) implements Decision {
        public Preempt {
            victims = List.copyOf(victims);
        }
    }

    /** Not this cycle, for a reason a person can act on. */
    record Wait(Workload workload, WaitReason why, String message) implements Decision {
    }

    /** It waited longer than its {@code timeoutSeconds}: it gives up and holds nothing. */
    record Expire(Workload workload, String message) implements Decision {
    }

    /** A running workload chosen to leave, and why it may be taken. */
    record Victim(String workloadId, String queue, int priority, String why) {
    }

    /** Why a workload waits. */
    enum WaitReason {
        UNKNOWN_QUEUE,
        QUOTA_MAX,
        QUOTA_BORROWING_LIMIT,
        QUOTA_CAPACITY,
        NO_PLACEMENT,
        BLOCKED_BEHIND_HEAD,
        /** Its queue's time window closes it now. */
        QUEUE_CLOSED,
        /** Staggered: it waits for its window or its not-before time. */
        DEFERRED
    }
}
