package dev.meshproof.bench;

import dev.meshproof.agent.load.LoadRecorder;
import dev.meshproof.agent.load.LoadResult;
import dev.meshproof.agent.load.LoadSpec;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs load for one mode: locally against a URL ({@link LocalModeRunner}), or on a cluster inside the
 * client pod of that mode ({@link ClusterModeRunner}).
 */
public interface ModeRunner extends AutoCloseable {

    /** A one-line description of where the load goes, for progress lines and benchmark.json. */
    String target();

    /** The modes this runner can measure (local: no-mesh only). */
    List<DataPath> supportedModes();

    /** Gets the mode's client and server ready (deploy, wait); called once per mode before its first repetition. */
    void prepare(DataPath mode);

    /** The URL the mode's client sends to; {@code path} is the profile's request path. */
    URI targetFor(DataPath mode, String path);

    /** Runs one repetition of {@code spec} (whose target came from {@link #targetFor}); the engine's files go to {@code runDir}. */
    LoadResult run(DataPath mode, LoadSpec spec, Path runDir, Consumer<LoadRecorder.Interval> progress);

    /** Where the mode's client and server run (node names); empty when not applicable. */
    Map<String, String> placement(DataPath mode);

    /** The CPU and memory of the mode's proxies during its last repetition; empty where not measured at all (local mode). */
    default java.util.Optional<ProxyResources> proxyResources(DataPath mode) {
        return java.util.Optional.empty();
    }

    @Override
    void close();
}
