package io.kubeai.simulator.jobs.trace;

import io.kubeai.core.cluster.Node;
import io.kubeai.core.resource.ExtendedResources;
import io.kubeai.simulator.trace.TraceFormatException;
import io.kubeai.simulator.trace.TraceSource;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Readers of the real traces the job-trace generator is calibrated on: Microsoft Philly run times,
 * SenseTime Helios Venus GPUs per virtual cluster per day, and Alibaba PAI machine shapes (each
 * bundled under {@code traces/}, see the README there). Like every trace reader, a file is read
 * whole or refused with file, line and column. The bundled files are read once and cached.
 */
public final class CalibrationTraces {
    public static final String PHILLY_RUNTIME = "philly-runtime/philly_runtime.csv";
    public static final String HELIOS_VC_GPUS = "helios-venus-vc-gpus/cluster_gpu_number.csv";
    public static final String PAI_MACHINES = "pai-v2020-machine-spec/pai_machine_spec.csv";
    /** Columns of the PAI machine table, which has no header line (upstream keeps it apart). */
    public static final List<String> PAI_COLUMNS = List.of("machine", "gpu_type", "cap_cpu", "cap_mem", "cap_gpu");

    private static final long MIB = 1024L * 1024L;
    private static long[] philly;
    private static List<HeliosDay> helios;
    private static List<Node> pai;

    private CalibrationTraces() {
    }

    /** One day of the Helios Venus VC table: GPUs of every VC (in column order, zeros included). */
    public record HeliosDay(LocalDate date, Map<String, Integer> vcGpus, int total) {
        public HeliosDay {
            vcGpus = Collections.unmodifiableMap(new LinkedHashMap<>(vcGpus));
        }
    }

    /** The bundled Philly run times, in whole seconds (at least 1), ascending. A fresh copy. */
    public static synchronized long[] phillyDurations() {
        if (philly == null) {
            philly = readPhillyDurations(TraceSource.bundled(PHILLY_RUNTIME));
        }
        return philly.clone();
    }

    /** The bundled Helios Venus days, in file order. */
    public static synchronized List<HeliosDay> heliosDays() {
        if (helios == null) {
            helios = readHeliosDays(TraceSource.bundled(HELIOS_VC_GPUS));
        }
        return helios;
    }

    /** The bundled PAI machines as nodes named by their hashed machine id. */
    public static synchronized List<Node> paiMachines() {
        if (pai == null) {
            pai = readPaiMachines(TraceSource.bundled(PAI_MACHINES));
        }
        return pai;
    }

    /**
     * A file with a {@code runtime} column of seconds (floats allowed, {@code ≥ 0}): each value
     * rounded to whole seconds, 0 raised to 1 (a job runs for a positive time), sorted ascending.
     */
    public static long[] readPhillyDurations(TraceSource source) {
        try (LineCsv csv = LineCsv.withHeader(source)) {
            int col = csv.header().indexOf("runtime");
            if (col < 0) {
                throw new TraceFormatException(source.name(), 1, 0, "missing column \"runtime\"; header is "
                        + String.join(",", csv.header()));
            }
            long[] out = new long[1024];
            int n = 0;
            while (csv.next()) {
                double v = csv.finiteDouble(col, "a non-negative number of seconds");
                if (v < 0) {
                    throw csv.error(col, "expected a non-negative number of seconds for runtime, found " + csv.text(col));
                }
                if (n == out.length) {
                    out = Arrays.copyOf(out, n * 2);
                }
                out[n++] = Math.max(1, Math.round(v));
            }
            if (n == 0) {
                throw new TraceFormatException(source.name(), 2, 0, "expected at least one run time, found none");
            }
            out = Arrays.copyOf(out, n);
            Arrays.sort(out);
            return out;
        }
    }

    /**
     * A file {@code date,vc…,total}: one row per day ({@code YYYY-MM-DD}, each once), GPUs per VC
     * (non-negative integers) and their sum in {@code total}.
     */
    public static List<HeliosDay> readHeliosDays(TraceSource source) {
        try (LineCsv csv = LineCsv.withHeader(source)) {
            List<String> header = csv.header();
            int dateCol = header.indexOf("date");
            int totalCol = header.indexOf("total");
            if (dateCol < 0 || totalCol < 0) {
                throw new TraceFormatException(source.name(), 1, 0, "missing column \""
                        + (dateCol < 0 ? "date" : "total") + "\"; header is " + String.join(",", header));
            }
            List<Integer> vcCols = new ArrayList<>();
            for (int i = 0; i < header.size(); i++) {
                if (i != dateCol && i != totalCol) {
                    vcCols.add(i);
                }
            }
            if (vcCols.isEmpty()) {
                throw new TraceFormatException(source.name(), 1, 0, "expected at least one VC column besides date and total");
            }
            List<HeliosDay> days = new ArrayList<>();
            Set<LocalDate> seen = new HashSet<>();
            while (csv.next()) {
                LocalDate date;
                try {
                    date = LocalDate.parse(csv.text(dateCol));
                } catch (DateTimeParseException e) {
                    throw csv.error(dateCol, "expected a date YYYY-MM-DD, found \"" + csv.text(dateCol) + "\"");
                }
                if (!seen.add(date)) {
                    throw csv.error(dateCol, "duplicate date " + date);
                }
                Map<String, Integer> gpus = new LinkedHashMap<>();
                long sum = 0;
                for (int c : vcCols) {
                    long g = csv.nonNegativeLong(c);
                    if (g > Integer.MAX_VALUE) {
                        throw csv.error(c, "expected at most " + Integer.MAX_VALUE + " GPUs, found " + g);
                    }
                    gpus.put(header.get(c), (int) g);
                    sum += g;
                }
                long total = csv.nonNegativeLong(totalCol);
                if (total != sum) {
                    throw csv.error(totalCol, "expected total to be the sum of the VCs, " + sum + ", found " + total);
                }
                days.add(new HeliosDay(date, gpus, (int) total));
            }
            if (days.isEmpty()) {
                throw new TraceFormatException(source.name(), 2, 0, "expected at least one day, found none");
            }
            return List.copyOf(days);
        }
    }

    /**
     * A headerless file {@code machine,gpu_type,cap_cpu,cap_mem,cap_gpu} (cores, GB, GPUs): nodes
     * with cores × 1000 milli-CPU and GB read as GiB; {@code gpu_type} {@code CPU} means no GPU.
     */
    public static List<Node> readPaiMachines(TraceSource source) {
        try (LineCsv csv = LineCsv.headerless(source, PAI_COLUMNS)) {
            List<Node> nodes = new ArrayList<>();
            Set<String> names = new HashSet<>();
            while (csv.next()) {
                String name = csv.text(0);
                if (name.isEmpty()) {
                    throw csv.error(0, "expected a machine id, found an empty field");
                }
                if (!names.add(name)) {
                    throw csv.error(0, "duplicate machine \"" + name + "\"");
                }
                String type = csv.text(1);
                long cores = csv.nonNegativeLong(2);
                long gb = csv.nonNegativeLong(3);
                long gpus = csv.nonNegativeLong(4);
                if (type.isEmpty()) {
                    throw csv.error(1, "expected a GPU type (CPU for none), found an empty field");
                }
                if (cores > Long.MAX_VALUE / 1000) {
                    throw csv.error(2, "expected a plausible number of cores, found " + cores);
                }
                if (gb > Long.MAX_VALUE / 1024 / MIB) {
                    throw csv.error(3, "expected a plausible number of GB, found " + gb);
                }
                if (gpus > Node.MAX_GPUS) {
                    throw csv.error(4, "expected at most " + Node.MAX_GPUS + " GPUs per machine, found " + gpus);
                }
                boolean cpuOnly = type.equals("CPU");
                if (cpuOnly != (gpus == 0)) {
                    throw csv.error(4, "expected " + (cpuOnly ? "0 GPUs for a CPU machine" : "GPUs for a " + type
                            + " machine") + ", found " + gpus);
                }
                nodes.add(new Node(name, cores * 1000, gb * 1024 * MIB, (int) gpus, cpuOnly ? "" : type,
                        ExtendedResources.NONE));
            }
            if (nodes.isEmpty()) {
                throw new TraceFormatException(source.name(), 1, 0, "expected at least one machine, found none");
            }
            return List.copyOf(nodes);
        }
    }
}
