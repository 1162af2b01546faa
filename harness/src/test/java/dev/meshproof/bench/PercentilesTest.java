package dev.meshproof.bench;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PercentilesTest {

    @Test
    void matchesHdrHistogramsOwnPercentilesInMicroseconds() {
        Histogram h = new Histogram(3);
        Random random = new Random(42);
        for (int i = 0; i < 50_000; i++) {
            h.recordValue(200_000 + (long) (random.nextDouble() * random.nextDouble() * 5_000_000)); // 0.2-5.2 ms in ns
        }
        Percentiles p = Percentiles.ofNanos(h);
        assertThat(p.p50()).isEqualTo(h.getValueAtPercentile(50) / 1000.0);
        assertThat(p.p90()).isEqualTo(h.getValueAtPercentile(90) / 1000.0);
        assertThat(p.p95()).isEqualTo(h.getValueAtPercentile(95) / 1000.0);
        assertThat(p.p99()).isEqualTo(h.getValueAtPercentile(99) / 1000.0);
        assertThat(p.p999()).isEqualTo(h.getValueAtPercentile(99.9) / 1000.0);
        assertThat(p.max()).isEqualTo(h.getMaxValue() / 1000.0);
        assertThat(p.mean()).isCloseTo(h.getMean() / 1000.0, within(1e-9));
        assertThat(p.p50()).isLessThan(p.p90()).isLessThan(p.p99());
    }

    @Test
    void knownValuesComeOutInMicrosecondsWithSubMillisecondResolution() {
        Histogram h = new Histogram(3);
        for (int i = 1; i <= 1000; i++) {
            h.recordValue(i * 1_000L + 250_000); // 251 µs .. 1250 µs
        }
        Percentiles p = Percentiles.ofNanos(h);
        assertThat(p.p50()).isCloseTo(750, within(1.0));
        assertThat(p.p90()).isCloseTo(1150, within(2.0));
        assertThat(p.max()).isCloseTo(1250, within(2.0));
    }

    @Test
    void namesMapToPercentiles() {
        assertThat(Percentiles.percentileOf("p999")).isEqualTo(99.9);
        assertThat(Percentiles.percentileOf("p50")).isEqualTo(50);
        assertThat(new Percentiles(1, 2, 3, 4, 5, 6, 7).get("p99")).isEqualTo(4);
    }
}
