package io.kubeai.kube.telemetry;

import io.kubeai.core.elastic.GpuSample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads GPU devices out of a dcgm-exporter scrape: per device ({@code UUID} label), its index
 * ({@code gpu}), {@code DCGM_FI_DEV_GPU_UTIL} (%), {@code DCGM_FI_DEV_FB_USED} and
 * {@code DCGM_FI_DEV_FB_FREE} (MiB), and the pods the kubelet gave it to ({@code namespace} and
 * {@code pod} labels, present when dcgm-exporter maps devices to pods). A device reported once
 * per pod (time-slicing) or per MIG instance ({@code GPU_I_ID}) is one device: the busiest
 * reading counts, the pods add up, and MIG marks it partitioned. DCGM's "blank" values (no
 * reading, {@code 0x7ffffff0} and above) and negative ones read as NaN, which is never idle.
 * Samples without a UUID are skipped. O(samples).
 */
public final class DcgmGpus {
    public static final String GPU_UTIL = "DCGM_FI_DEV_GPU_UTIL";
    public static final String FB_USED = "DCGM_FI_DEV_FB_USED";
    public static final String FB_FREE = "DCGM_FI_DEV_FB_FREE";
    /** DCGM_INT32_BLANK: DCGM's smallest "no value" marker; every larger reading is a marker too. */
    static final double BLANK = 0x7ffffff0;

    private DcgmGpus() {
    }

    public static List<GpuSample> read(Exposition scrape) {
        Map<String, Device> devices = new LinkedHashMap<>();
        for (Sample s : scrape.samples()) {
            boolean util = s.name().equals(GPU_UTIL);
            boolean used = s.name().equals(FB_USED);
            boolean free = s.name().equals(FB_FREE);
            if (!(util || used || free) || s.label("UUID").isEmpty()) {
                continue;
            }
            Device d = devices.computeIfAbsent(s.label("UUID"), u -> new Device(u, index(s.label("gpu"))));
            if (!s.label("GPU_I_ID").isEmpty() || !s.label("GPU_I_PROFILE").isEmpty()) {
                d.partitioned = true;
            }
            if (!s.label("pod").isEmpty() && !s.label("namespace").isEmpty()) {
                d.pods.add(s.label("namespace") + "/" + s.label("pod"));
            }
            double v = s.value() >= 0 && s.value() < BLANK ? s.value() : Double.NaN;
            // Several readings of one device: the busiest counts.
            if (util) {
                d.util = worse(d.util, v, true);
            } else if (used) {
                d.used = worse(d.used, v, true);
            } else {
                d.free = worse(d.free, v, false);
            }
        }
        List<GpuSample> out = new ArrayList<>(devices.size());
        for (Device d : devices.values()) {
            out.add(new GpuSample(d.uuid, d.index, orNaN(d.util), orNaN(d.used), orNaN(d.free), d.pods, d.partitioned));
        }
        return out;
    }

    /** The worse of two readings of one device; a missing reading (NaN) makes the result unknown. */
    private static Double worse(Double before, double now, boolean higherIsWorse) {
        if (before == null) {
            return now;
        }
        if (Double.isNaN(before) || Double.isNaN(now)) {
            return Double.NaN;
        }
        return higherIsWorse ? Math.max(before, now) : Math.min(before, now);
    }

    private static double orNaN(Double d) {
        return d == null ? Double.NaN : d;
    }

    private static int index(String gpu) {
        try {
            return Integer.parseInt(gpu);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static final class Device {
        final String uuid;
        final int index;
        Double util;
        Double used;
        Double free;
        boolean partitioned;
        final TreeSet<String> pods = new TreeSet<>();

        Device(String uuid, int index) {
            this.uuid = uuid;
            this.index = index;
        }
    }
}
