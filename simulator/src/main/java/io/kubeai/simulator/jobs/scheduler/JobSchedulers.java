package io.kubeai.simulator.jobs.scheduler;

import io.kubeai.simulator.jobs.sim.JobScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The schedulers a job simulation compares, by the names users write. */
public final class JobSchedulers {
    /** Ours first, then the baselines. */
    public static final List<String> NAMES = List.of(SchedulerKubeAi.NAME, SchedulerKubeDefault.NAME,
            SchedulerKueueLike.NAME, SchedulerVolcanoLike.NAME);

    private JobSchedulers() {
    }

    /** The factory of a scheduler named case-insensitively; unknown names are rejected with the known ones. */
    public static JobScheduler.Factory factory(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case SchedulerKubeAi.NAME -> JobScheduler.Factory.of(SchedulerKubeAi.NAME, SchedulerKubeAi::new);
            case SchedulerKubeDefault.NAME -> JobScheduler.Factory.of(SchedulerKubeDefault.NAME, SchedulerKubeDefault::new);
            case SchedulerKueueLike.NAME -> JobScheduler.Factory.of(SchedulerKueueLike.NAME, SchedulerKueueLike::new);
            case SchedulerVolcanoLike.NAME -> JobScheduler.Factory.of(SchedulerVolcanoLike.NAME, SchedulerVolcanoLike::new);
            default -> throw new IllegalArgumentException(
                    "unknown scheduler \"" + name + "\"; expected one of " + String.join(", ", NAMES));
        };
    }

    public static List<JobScheduler.Factory> factories(List<String> names) {
        List<JobScheduler.Factory> out = new ArrayList<>(names.size());
        for (String n : names) {
            out.add(factory(n));
        }
        return out;
    }

    /** All four, ours first. */
    public static List<JobScheduler.Factory> all() {
        return factories(NAMES);
    }
}
