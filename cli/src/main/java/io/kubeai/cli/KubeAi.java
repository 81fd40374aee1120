package io.kubeai.cli;

import io.kubeai.core.KubeAiException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one {@code kubeai} command. */
@Command(name = "kubeai",
        mixinStandardHelpOptions = true,
        versionProvider = KubeAi.Version.class,
        description = "KubeAI Scheduler: a Kubernetes scheduler extension for AI training and batch work, "
                + "and a simulator that replays real cluster traces through the same policies.",
        subcommands = {SimulateCommand.class, ExtenderCommand.class, WebhookCommand.class, ControllerCommand.class,
            ExplainCommand.class, QueuesCommand.class, WhatIfCommand.class, CommandLine.HelpCommand.class})
public final class KubeAi implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the command line and returns the exit code: 0 ok, 1 failed, 2 bad usage; for the operator tools
     * (explain, queues, what-if) 1 is any bad input, flags included, and 2 a cluster that cannot be reached.
     * Commands document codes of their own.
     */
    public static int execute(String... args) {
        return execute(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }

    /** As {@link #execute(String...)}, writing to the given streams. */
    public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cmd = new CommandLine(new KubeAi());
        cmd.setOut(out);
        cmd.setErr(err);
        CommandLine.IParameterExceptionHandler usage = cmd.getParameterExceptionHandler();
        cmd.setParameterExceptionHandler((ex, a) -> {
            int code = usage.handleParseException(ex, a);
            // The operator tools give scripts one code for every bad input, flags included: 2 is an unreachable cluster.
            Object c = ex.getCommandLine().getCommand();
            return c instanceof WhatIfCommand || c instanceof ExplainCommand || c instanceof QueuesCommand
                    ? WhatIfCommand.BAD_INPUT : code;
        });
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof ClusterUnreachableException) {
                commandLine.getErr().println("kubeai: " + ex.getMessage());
                return WhatIfCommand.UNREACHABLE;
            }
            if (ex instanceof KubeAiException || ex instanceof IllegalArgumentException
                    || ex instanceof java.io.UncheckedIOException) {
                commandLine.getErr().println("kubeai: " + ex.getMessage());
                return 1;
            }
            throw ex;
        });
        return cmd.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = KubeAi.class.getPackage().getImplementationVersion();
            return new String[] {"kubeai " + (v == null ? "development build" : v)};
        }
    }
}
