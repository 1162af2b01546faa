package dev.meshproof.bench;

import dev.meshproof.agent.load.LoadRecorder;
import dev.meshproof.agent.load.LoadSpec;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The measured window is placed from the engine's progress lines, warm-up excluded. */
class MeasuredWindowClockTest {
    static final LoadSpec SPEC = new LoadSpec(URI.create("http://echo:8080/"), 100, Duration.ofSeconds(60), Duration.ofSeconds(15),
            4, 0, true, Duration.ofSeconds(10), Duration.ofSeconds(5), "t");
    static final Instant NOW = Instant.parse("2026-11-27T09:01:00Z");

    @Test
    void theFirstProgressLineAfterWarmUpFixesTheWindow() {
        MeasuredWindowClock clock = new MeasuredWindowClock(SPEC, Clock.fixed(NOW, ZoneOffset.UTC));
        List<LoadRecorder.Interval> relayed = new ArrayList<>();
        var observer = clock.observing(relayed::add);
        observer.accept(new LoadRecorder.Interval(5, 100, 0, 0, 0, true)); // warm-up lines do not place it
        observer.accept(new LoadRecorder.Interval(20, 100, 500, 900, 0, false));

        ProxyResourceMeter.MeasuredWindow w = clock.window();
        assertThat(w.from()).as("first send 20 s ago, plus 15 s warm-up").isEqualTo(NOW.minusSeconds(5));
        assertThat(w.until()).isEqualTo(NOW.plusSeconds(55));
        assertThat(relayed).hasSize(2);
    }

    @Test
    void withoutProgressTheWindowEndsWhenTheRunEnded() {
        ProxyResourceMeter.MeasuredWindow w = new MeasuredWindowClock(SPEC, Clock.fixed(NOW, ZoneOffset.UTC)).window();
        assertThat(w.from()).isEqualTo(NOW.minusSeconds(60));
        assertThat(w.until()).isEqualTo(NOW);
    }
}
