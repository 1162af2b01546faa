package dev.meshproof.bench;

import dev.meshproof.agent.load.LoadEngine;
import dev.meshproof.agent.load.LoadRecorder;
import dev.meshproof.agent.load.LoadResult;
import dev.meshproof.agent.load.LoadSpec;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Local mode: the engine runs here against any URL, with no cluster and no mesh (the no-mesh baseline). */
public final class LocalModeRunner implements ModeRunner {
    private final URI target;
    private final LoadEngine engine;

    public LocalModeRunner(URI target, LoadEngine engine) {
        this.target = target;
        this.engine = engine;
    }

    @Override
    public String target() {
        return target.toString();
    }

    @Override
    public List<DataPath> supportedModes() {
        return List.of(DataPath.NO_MESH);
    }

    @Override
    public void prepare(DataPath mode) {
        // nothing to deploy: the target is already running
    }

    /** The --target URL is complete (path included), so the profile's path is not used locally. */
    @Override
    public URI targetFor(DataPath mode, String path) {
        return target;
    }

    @Override
    public LoadResult run(DataPath mode, LoadSpec spec, Path runDir, Consumer<LoadRecorder.Interval> progress) {
        return engine.run(spec, runDir, progress);
    }

    @Override
    public Map<String, String> placement(DataPath mode) {
        return Map.of("client", "local", "server", target.getHost());
    }

    @Override
    public void close() {
        // nothing was created
    }
}
