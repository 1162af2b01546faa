package dev.meshproof.agent.load;

import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Map;
import java.util.zip.DataFormatException;

/**
 * What one load run measured (warm-up excluded). Latency and lateness histograms are in nanoseconds,
 * carried as Base64 of HdrHistogram's compressed encoding so the result survives a JSON round trip
 * (from the forked engine, or out of a client pod) without losing a single count.
 *
 * @param label             the run's label
 * @param requestedRate     requests per second asked for
 * @param achievedRate      measured sends per second (first to last measured send)
 * @param measuredSeconds   length of the measured window
 * @param planned           measured arrivals the schedule planned
 * @param sent              measured sends
 * @param requests          measured requests that ended (any outcome): requests + unsent + inFlightAtEnd = planned
 * @param unsent            planned arrivals never sent (claims stopped one request timeout after the window, or the
 *                          run's backstop cut it)
 * @param inFlightAtEnd     measured requests sent but unanswered when the run stopped
 * @param warmupRebaseMicros how far the measured window opened after its nominal start to let a warm-up backlog clear
 * @param errors            measured requests whose outcome is not ok
 * @param outcomes          count per outcome wire name
 * @param latency           Base64 compressed histogram of ok latencies from the intended send time, ns
 * @param allLatency        Base64 compressed histogram of every planned arrival's latency, ns: ok ones, failures at
 *                          their time to failure, unsent and unanswered ones censored (a lower bound) at the end
 * @param lateness          Base64 compressed histogram of how late each measured send left, ns (0 for early ones)
 * @param earliness         Base64 compressed histogram of how early each early measured send left, ns
 * @param serviceTime       Base64 compressed histogram of ok latencies from the actual send, ns (diagnostic only:
 *                          it hides the generator's delays, as a closed-loop client would)
 * @param pauses            JVM pauses during the run
 * @param gatlingExitCode   Gatling's own status (0 ok)
 * @param gatlingReport     Gatling's HTML report directory, relative to the run's output directory (null if none)
 */
public record LoadResult(String label, double requestedRate, double achievedRate, double measuredSeconds, long planned,
                         long sent, long requests, long unsent, long inFlightAtEnd, double warmupRebaseMicros,
                         long errors, Map<String, Long> outcomes, String latency, String allLatency, String lateness,
                         String earliness, String serviceTime,
                         PauseDetector.Pauses pauses, int gatlingExitCode, String gatlingReport) {

    public Histogram latencyHistogram() {
        return decode(latency);
    }

    public Histogram allLatencyHistogram() {
        return decode(allLatency);
    }

    public Histogram earlinessHistogram() {
        return decode(earliness);
    }

    public Histogram serviceTimeHistogram() {
        return decode(serviceTime);
    }

    public Histogram latenessHistogram() {
        return decode(lateness);
    }

    public static String encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = new byte[length];
        buffer.rewind();
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    public static Histogram decode(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("not an HdrHistogram: " + e.getMessage(), e);
        }
    }
}
