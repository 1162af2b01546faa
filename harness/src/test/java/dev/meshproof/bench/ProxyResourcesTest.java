package dev.meshproof.bench;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Pooling a mode's repetitions: weighted means, maxima of maxima, CPU-ms over all measured requests. */
class ProxyResourcesTest {

    static ProxyResources.Component component(String pod, int samples, double mean, double max, double mem, double cpuMs) {
        return new ProxyResources.Component("sidecar", "client", "s", pod, "istio-proxy", "node-a", samples, mean, max, mem, cpuMs, null);
    }

    @Test
    void repetitionsPoolBySampleCountAndSkipUnmeasuredOnes() {
        ProxyResources rep1 = ProxyResources.measured(List.of(component("c", 2, 20, 30, 50, 1200)), 60_000, 1);
        ProxyResources rep2 = ProxyResources.measured(List.of(component("c", 1, 50, 50, 45, 3000)), 60_000, 1);
        ProxyResources rep3 = ProxyResources.notMeasured("metrics API unavailable", List.of());

        ProxyResources mode = ProxyResources.combine(List.of(rep1, rep2, rep3));

        assertThat(mode.status()).isEqualTo(ProxyResources.MEASURED);
        assertThat(mode.repetitionsMeasured()).isEqualTo(2);
        ProxyResources.Component c = mode.components().get(0);
        assertThat(c.samples()).isEqualTo(3);
        assertThat(c.cpuMillicoresMean()).as("(2 × 20 + 1 × 50) / 3").isEqualTo(30.0);
        assertThat(c.cpuMillicoresMax()).isEqualTo(50.0);
        assertThat(c.memoryMiBMax()).isEqualTo(50.0);
        assertThat(c.cpuMs()).isEqualTo(4200.0);
        assertThat(mode.requests()).isEqualTo(120_000);
        assertThat(mode.cpuMsPer1kRequests()).as("4200 CPU-ms / 120 000 requests × 1000").isEqualTo(35.0);
        assertThat(mode.cpuCell()).isEqualTo("30 (35.0 CPU-ms/1k req)");
        assertThat(mode.memoryCell()).isEqualTo("50.0");
        assertThat(mode.describe()).isEqualTo("CPU 30 millicores (35.0 CPU-ms/1k req), memory 50.0 MiB");
    }

    @Test
    void nothingMeasuredStaysNotMeasuredAndLocalRunsHaveNoFigures() {
        ProxyResources none = ProxyResources.notMeasured("metrics API unavailable", List.of());
        assertThat(ProxyResources.combine(List.of(none, none))).isEqualTo(none);
        assertThat(none.describe()).isEqualTo("not measured (metrics API unavailable)");
        assertThat(ProxyResources.noProxy().describe()).isEqualTo("no proxy");
        assertThat(ProxyResources.combine(Arrays.asList(null, null))).isNull();
    }
}
