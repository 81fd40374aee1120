package io.kubeai.kube.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.elastic.GpuSample;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DcgmGpusTest {
    static List<GpuSample> read(String file) {
        return DcgmGpus.read(PrometheusText.parse(PrometheusTextTest.resource(file), file));
    }

    @Test
    void readsEachDeviceWithItsPodsFromAPodMappedScrape() {
        assertThat(read("a100-4gpu-pod-mapping.txt")).containsExactly(
                new GpuSample("GPU-3f6b2a71-9c0e-4d1b-8a52-7e1c0f9d2b11", 0, 0, 1530, 79508, Set.of("ml/infer-0"), false),
                new GpuSample("GPU-8a0d4c22-51f7-4b9e-9d33-2c6e8f4a7c05", 1, 87, 61440, 19598, Set.of("ml/infer-0"), false),
                new GpuSample("GPU-c41e9b57-0a26-4f83-b1d4-95f0e3a8d6e9", 2, 0, 0, 81038, Set.of(), false),
                new GpuSample("GPU-5d72f0a8-e3b9-4c61-87fa-1b0c6d2e9f43", 3, 3, 10240, 70798,
                        Set.of("recsys/ranker-7f9c-2xk4q"), false));
    }

    @Test
    void aScrapeWithoutPodMappingHasDevicesWithoutPods() {
        assertThat(read("l40s-1gpu-no-pod-mapping.txt")).containsExactly(
                new GpuSample("GPU-9e21c7d4-6b3a-4f08-a5e2-d07f4b1c8a36", 0, 0, 0, 45459, Set.of(), false));
    }

    @Test
    void migInstancesMakeOnePartitionedDevice() {
        List<GpuSample> gpus = read("a100-mig.txt");
        assertThat(gpus).hasSize(2);
        assertThat(gpus.get(0).partitioned()).isTrue();
        assertThat(gpus.get(0).pods()).containsExactly("ml/infer-0");
        assertThat(gpus.get(0).fbFreeMiB()).isEqualTo(40192);
        assertThat(gpus.get(1)).isEqualTo(new GpuSample("GPU-0c8d3f61-a7e2-4b15-9f04-6d2b8e1a3c97", 1, 2, 11040, 70000,
                Set.of("ml/infer-1"), false));
    }

    @Test
    void blankNegativeOrMissingReadingsAreUnknown() {
        List<GpuSample> gpus = DcgmGpus.read(PrometheusText.parse("""
                DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-a"} 2147483632
                DCGM_FI_DEV_FB_FREE{gpu="0",UUID="GPU-a"} 70000
                DCGM_FI_DEV_GPU_UTIL{gpu="1",UUID="GPU-b"} -1
                DCGM_FI_DEV_GPU_UTIL{gpu="2",UUID="GPU-c"} 0
                DCGM_FI_DEV_GPU_UTIL{gpu="3"} 0
                """, "t"));
        assertThat(gpus).extracting(GpuSample::uuid).containsExactly("GPU-a", "GPU-b", "GPU-c");
        assertThat(gpus.get(0).utilPercent()).isNaN();
        assertThat(gpus.get(0).fbFreeMiB()).isEqualTo(70000);
        assertThat(gpus.get(1).utilPercent()).isNaN();
        assertThat(gpus.get(2).fbFreeMiB()).as("never reported").isNaN();
    }

    @Test
    void aDeviceSharedByPodsCountsItsBusiestReadingAndAllItsPods() {
        List<GpuSample> gpus = DcgmGpus.read(PrometheusText.parse("""
                DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-a",namespace="ml",pod="a"} 10
                DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-a",namespace="ml",pod="b"} 40
                DCGM_FI_DEV_FB_FREE{gpu="0",UUID="GPU-a",namespace="ml",pod="a"} 9000
                DCGM_FI_DEV_FB_FREE{gpu="0",UUID="GPU-a",namespace="ml",pod="b"} 8000
                """, "t"));
        assertThat(gpus).containsExactly(new GpuSample("GPU-a", 0, 40, Double.NaN, 8000, Set.of("ml/a", "ml/b"), false));
    }
}
