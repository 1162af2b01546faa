package dev.meshproof.bench;

import dev.meshproof.agent.load.LoadMain;
import dev.meshproof.agent.load.LoadRecorder;
import dev.meshproof.agent.load.LoadResult;
import dev.meshproof.agent.load.LoadSpec;
import dev.meshproof.core.MeshproofException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.dsl.PodResource;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs the load engine inside a client pod, so the load leaves through that pod's data plane (its sidecar,
 * or its node's ztunnel): uploads the spec, execs {@link LoadMain} in the agent container with the image's
 * class path, relays the progress lines, and copies the run directory back out.
 */
public final class PodLoadExecutor {
    /** The agent container's name in fixtures/workloads/agent-client.yaml. */
    public static final String CONTAINER = "agent";
    /** Jib's default layout of the agent image: resources, classes, dependency jars under /app. */
    public static final String IMAGE_CLASSPATH = "/app/resources:/app/classes:/app/libs/*";
    /** The client pod's writable emptyDir (the root filesystem is read-only). */
    static final String REMOTE_ROOT = "/tmp/meshproof-load";
    private final KubernetesClient client;

    public PodLoadExecutor(KubernetesClient client) {
        this.client = client;
    }

    List<String> command(String specFile, String outDir) {
        List<String> command = new java.util.ArrayList<>(List.of("java"));
        command.addAll(dev.meshproof.agent.load.LoadEngine.engineJvmFlags()); // the same flags as a local forked run
        command.addAll(List.of("-cp", IMAGE_CLASSPATH, LoadMain.class.getName(), "--spec", specFile, "--out", outDir,
                LoadMain.EXIT_WITH_PARENT)); // the exec's stdin stays open while this JVM lives: the engine stops when it goes
        return List.copyOf(command);
    }

    public LoadResult run(String namespace, String pod, LoadSpec spec, Path runDir, Consumer<LoadRecorder.Interval> progress) {
        String remote = REMOTE_ROOT + "/" + spec.label().replaceAll("[^A-Za-z0-9.-]+", "-");
        PodResource resource = client.pods().inNamespace(namespace).withName(pod);
        try {
            Files.createDirectories(runDir);
            Path specFile = runDir.resolve("spec.json");
            LoadMain.writeSpec(spec, specFile);
            if (!resource.inContainer(CONTAINER).file(remote + "/spec.json").upload(specFile)) {
                throw MeshproofException.environment("cannot upload the load spec to pod " + namespace + "/" + pod,
                        "the client pod needs a writable /tmp (emptyDir) and tar", null);
            }
            Duration limit = spec.runLimit().plusSeconds(120);
            int exit = exec(resource, command(remote + "/spec.json", remote + "/run"), runDir.resolve("engine.log"), limit, progress);
            if (exit != 0) {
                throw MeshproofException.environment("the load engine in pod " + namespace + "/" + pod + " exited " + exit,
                        "see " + runDir.resolve("engine.log"), null);
            }
            Path copied = runDir.resolve(".copy");
            resource.inContainer(CONTAINER).dir(remote + "/run").copy(copied);
            Path result = find(copied, LoadMain.RESULT_FILE).orElseThrow(() -> MeshproofException.environment(
                    "no result.json came back from pod " + namespace + "/" + pod, "see " + runDir.resolve("engine.log"), null));
            moveContents(result.getParent(), runDir);
            return LoadMain.readResult(runDir.resolve(LoadMain.RESULT_FILE));
        } catch (IOException e) {
            throw MeshproofException.environment("load run in pod " + namespace + "/" + pod + " failed: " + e.getMessage(), null, e);
        }
    }

    private static int exec(PodResource pod, List<String> command, Path log, Duration limit,
                            Consumer<LoadRecorder.Interval> progress) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ExecWatch watch = pod.inContainer(CONTAINER).redirectingInput().redirectingOutput().writingError(err)
                .exec(command.toArray(String[]::new));
             StopOnShutdown stop = new StopOnShutdown(watch);
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8))) {
            Thread relay = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (line.startsWith(LoadMain.PROGRESS_PREFIX)) {
                            progress.accept(json.readValue(line.substring(LoadMain.PROGRESS_PREFIX.length()), LoadRecorder.Interval.class));
                        } else {
                            out.println(line);
                        }
                    }
                } catch (IOException e) {
                    out.println("(output relay ended: " + e.getMessage() + ")");
                }
            }, "meshproof-pod-relay");
            relay.setDaemon(true);
            relay.start();
            Integer code = watch.exitCode().get(limit.toSeconds(), TimeUnit.SECONDS);
            relay.join(TimeUnit.SECONDS.toMillis(10));
            out.print(err.toString(StandardCharsets.UTF_8));
            return code == null ? -1 : code;
        } catch (TimeoutException e) {
            throw MeshproofException.environment("the load engine in the client pod did not finish within " + limit.toSeconds() + "s",
                    "see " + log, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MeshproofException.environment("interrupted while the client pod ran load", null, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw MeshproofException.environment("exec in the client pod failed: " + e.getCause(), "see " + log, e);
        }
    }

    /**
     * On SIGTERM, SIGINT or any JVM shutdown during the exec, closes the exec's stdin and the stream: the in-pod
     * engine reads end of input ({@link LoadMain#EXIT_WITH_PARENT}) and stops sending load within moments, as it does
     * when this JVM is killed outright and the API server closes the stream.
     */
    static final class StopOnShutdown implements AutoCloseable {
        private final Thread hook;

        StopOnShutdown(ExecWatch watch) {
            hook = new Thread(() -> stop(watch), "meshproof-stop-pod-engine");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        /** End of input for the in-pod engine, then the stream itself. */
        static void stop(ExecWatch watch) {
            System.err.println("    stopping the load engine in the client pod (closing its input)");
            try {
                watch.getInput().close();
            } catch (IOException | RuntimeException e) {
                // the stream is going anyway
            }
            watch.close();
        }

        @Override
        public void close() {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs
            }
        }
    }

    private static Optional<Path> find(Path dir, String name) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().equals(name)).findFirst();
        }
    }

    private static void moveContents(Path from, Path to) throws IOException {
        List<Path> children;
        try (Stream<Path> s = Files.list(from)) {
            children = new ArrayList<>(s.toList());
        }
        for (Path c : children) {
            Files.move(c, to.resolve(c.getFileName().toString()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
