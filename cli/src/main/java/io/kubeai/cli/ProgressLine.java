package io.kubeai.cli;

import io.kubeai.simulator.fgd.FgdExperiment;
import io.kubeai.simulator.fgd.FgdRunResult;
import java.io.PrintWriter;
import java.util.Locale;

/** Shows how far an experiment is: one rewritten line on a terminal, a line per tenth otherwise. */
final class ProgressLine implements FgdExperiment.Progress {
    private final PrintWriter out;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private int lastTenth = -1;

    ProgressLine(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void finished(FgdRunResult run, int done, int total) {
        double seconds = (System.nanoTime() - start) / 1e9;
        String line = String.format(Locale.ROOT, "[%d/%d] %s %s seed %d: %d of %d pods placed (%.1f s)",
                done, total, run.workload(), run.policy(), run.seed(), run.podsPlaced(), run.podsArrived(), seconds);
        if (terminal) {
            out.print("\r\033[K" + line);
            if (done == total) {
                out.println();
            }
        } else {
            int tenth = done * 10 / total;
            if (tenth != lastTenth) {
                lastTenth = tenth;
                out.println(line);
            }
        }
        out.flush();
    }
}
