package dev.meshproof.bench;

import java.time.Duration;
import java.util.List;

/**
 * A benchmark profile (load-profiles/*.yaml; schema in docs/benchmarks.md, section "Profiles").
 *
 * @param name           profile name (the file name without .yaml for bundled profiles)
 * @param description    one line for reports
 * @param source         where it was read from (file path or bundled resource), for error messages
 * @param rate           requested arrivals per second (open model)
 * @param duration       measured window per repetition
 * @param warmup         unmeasured window before it
 * @param connections    connections the client may hold to the server
 * @param payloadBytes   request body size (0: GET, else POST of that many bytes)
 * @param keepAlive      true: reuse connections; false: a new connection per request
 * @param repetitions    runs per mode, interleaved in a random order
 * @param modes          modes to compare, in report order (the first is the reference of the differences)
 * @param placement      where client and server pods go on a cluster
 * @param requestTimeout a request without answer after this long is a timeout
 * @param path           request path on the server
 * @param seed           seed of the randomised run order (reproducible plans)
 */
public record LoadProfile(String name, String description, String source, double rate, Duration duration,
                          Duration warmup, int connections, int payloadBytes, boolean keepAlive, int repetitions,
                          List<DataPath> modes, Placement placement, Duration requestTimeout, String path, long seed) {

    public LoadProfile {
        modes = List.copyOf(modes);
    }

    /** Where client and server pods are scheduled relative to each other. */
    public enum Placement {
        /** Wherever the scheduler puts them (the only choice on a one-node cluster). */
        ANY("any"),
        /** Pinned to one node: ztunnel-to-ztunnel on one host. */
        SAME_NODE("same-node"),
        /** Pinned to two different nodes (needs two schedulable nodes). */
        CROSS_NODE("cross-node");

        private final String id;

        Placement(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        @Override
        public String toString() {
            return id;
        }
    }

    public LoadProfile withRate(double value) {
        return new LoadProfile(name, description, source, value, duration, warmup, connections, payloadBytes, keepAlive,
                repetitions, modes, placement, requestTimeout, path, seed);
    }

    public LoadProfile withDuration(Duration value) {
        return new LoadProfile(name, description, source, rate, value, warmup, connections, payloadBytes, keepAlive,
                repetitions, modes, placement, requestTimeout, path, seed);
    }

    public LoadProfile withWarmup(Duration value) {
        return new LoadProfile(name, description, source, rate, duration, value, connections, payloadBytes, keepAlive,
                repetitions, modes, placement, requestTimeout, path, seed);
    }

    public LoadProfile withConnections(int value) {
        return new LoadProfile(name, description, source, rate, duration, warmup, value, payloadBytes, keepAlive,
                repetitions, modes, placement, requestTimeout, path, seed);
    }

    public LoadProfile withRepetitions(int value) {
        return new LoadProfile(name, description, source, rate, duration, warmup, connections, payloadBytes, keepAlive,
                value, modes, placement, requestTimeout, path, seed);
    }

    public LoadProfile withModes(List<DataPath> value) {
        return new LoadProfile(name, description, source, rate, duration, warmup, connections, payloadBytes, keepAlive,
                repetitions, value, placement, requestTimeout, path, seed);
    }
}
