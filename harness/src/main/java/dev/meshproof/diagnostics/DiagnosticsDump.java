package dev.meshproof.diagnostics;

import dev.meshproof.core.Progress;
import dev.meshproof.core.RunDirectory;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The bounded diagnostics dump written into the run directory when something fails: for each namespace involved
 * (istio-system first: istiod, istio-cni, ztunnel), plus every namespace holding a waypoint, its pods (YAML), its
 * events, and the logs of every container (the previous container's too after a restart); then the applied manifests.
 * A total size cap bounds it; what did not fit is truncated or skipped, and {@code index.txt} says which.
 */
public final class DiagnosticsDump {
    /**
     * Waypoint pods carry their class as a label
     * (istio/istio@1.29.6:manifests/charts/istio-control/istio-discovery/files/waypoint.yaml).
     */
    static final String WAYPOINT_SELECTOR_KEY = "gateway.networking.k8s.io/gateway-class-name";
    static final String WAYPOINT_CLASS = "istio-waypoint";

    private final KubernetesClient client;
    private final long maxBytes;
    private final int tailLines;
    private final List<String> index = new ArrayList<>();
    private long written;
    private Path dir;

    /**
     * @param maxBytes  the cap on everything the dump writes (index.txt aside)
     * @param tailLines how many of each container log's last lines to keep
     */
    public DiagnosticsDump(KubernetesClient client, long maxBytes, int tailLines) {
        this.client = client;
        this.maxBytes = maxBytes;
        this.tailLines = tailLines;
    }

    /** 20 MB, the last 2000 lines of each log. */
    public static DiagnosticsDump defaults(KubernetesClient client) {
        return new DiagnosticsDump(client, 20L * 1024 * 1024, 2000);
    }

    /** Writes {@code <run>/diagnostics/} and returns it. Never throws for what it cannot read: that is listed as skipped. */
    public Path collect(RunDirectory run, Collection<String> namespaces, List<Path> manifests) {
        dir = run.resolve("diagnostics");
        Set<String> all = new LinkedHashSet<>(namespaces);
        attempt("list waypoint pods in all namespaces", () -> {
            client.pods().inAnyNamespace().withLabel(WAYPOINT_SELECTOR_KEY, WAYPOINT_CLASS).list().getItems()
                    .forEach(p -> all.add(p.getMetadata().getNamespace()));
            return null;
        });
        for (String ns : all) {
            collectNamespace(ns);
        }
        for (Path m : manifests) {
            String text = attempt("read " + m, () -> {
                try {
                    return Files.readString(m);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            if (text != null) {
                write("manifests/" + m.getFileName(), text);
            }
        }
        writeIndex(all);
        Progress.info("diagnostics written to " + dir + " (" + written + " bytes; see index.txt)");
        return dir;
    }

    private void collectNamespace(String ns) {
        List<Pod> pods = attempt("list pods in " + ns, () -> client.pods().inNamespace(ns).list().getItems());
        if (pods == null) {
            return;
        }
        write(ns + "/pods.yaml", client.getKubernetesSerialization().asYaml(pods));
        List<Event> events = attempt("list events in " + ns, () -> client.v1().events().inNamespace(ns).list().getItems());
        if (events != null) {
            write(ns + "/events.txt", formatEvents(events));
        }
        for (Pod pod : pods) {
            String name = pod.getMetadata().getName();
            for (var container : pod.getSpec().getContainers()) {
                String c = container.getName();
                String log = attempt("logs of " + ns + "/" + name + " container " + c, () -> log(ns, name, c, false));
                if (log != null) {
                    write(ns + "/logs/" + name + "_" + c + ".log", log);
                }
                if (restarts(pod, c) > 0) {
                    String previous = attempt("previous logs of " + ns + "/" + name + " container " + c, () -> log(ns, name, c, true));
                    if (previous != null) {
                        write(ns + "/logs/" + name + "_" + c + ".previous.log", previous);
                    }
                }
            }
        }
    }

    /**
     * The pod log endpoint, read directly: fabric8's getLog() first waits for the pod to be Ready (a watch per call),
     * which is exactly what a crash-looping pod worth dumping never is.
     */
    private String log(String namespace, String pod, String container, boolean previous) {
        String log = client.raw("/api/v1/namespaces/" + namespace + "/pods/" + pod + "/log?container=" + container
                + (previous ? "&previous=true" : "") + "&tailLines=" + tailLines);
        if (log == null) {
            throw new KubernetesClientException("no log (HTTP 404)");
        }
        return log;
    }

    private static int restarts(Pod pod, String container) {
        if (pod.getStatus() == null) {
            return 0;
        }
        return pod.getStatus().getContainerStatuses().stream().filter(s -> container.equals(s.getName()))
                .map(ContainerStatus::getRestartCount).filter(Objects::nonNull).findFirst().orElse(0);
    }

    static String formatEvents(List<Event> events) {
        StringBuilder b = new StringBuilder();
        events.stream().sorted(Comparator.comparing(e -> Objects.toString(e.getLastTimestamp(), Objects.toString(e.getEventTime(), ""))))
                .forEach(e -> b.append(Objects.toString(e.getLastTimestamp(), "-")).append(' ')
                        .append(e.getType()).append(' ').append(e.getReason()).append(' ')
                        .append(e.getInvolvedObject() == null ? "-" : e.getInvolvedObject().getKind() + "/" + e.getInvolvedObject().getName())
                        .append(": ").append(e.getMessage()).append('\n'));
        return b.toString();
    }

    /** Writes within the cap: truncates the file that crosses it, skips everything after. */
    private void write(String relative, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        long left = maxBytes - written;
        if (left <= 0) {
            index.add("skipped   " + relative + " (" + bytes.length + " bytes): size cap of " + maxBytes + " bytes reached");
            return;
        }
        boolean truncate = bytes.length > left;
        byte[] out = truncate ? java.util.Arrays.copyOf(bytes, (int) left) : bytes;
        try {
            Path file = dir.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.write(file, out);
            if (truncate) {
                Files.writeString(file, "\n[meshproof: truncated here, size cap of " + maxBytes + " bytes reached]\n",
                        java.nio.file.StandardOpenOption.APPEND);
            }
            written += out.length;
            index.add((truncate ? "truncated " : "collected ") + relative + " (" + out.length + " of " + bytes.length + " bytes)");
        } catch (IOException e) {
            index.add("skipped   " + relative + ": cannot write: " + e.getMessage());
        }
    }

    private <T> T attempt(String what, Supplier<T> body) {
        try {
            return body.get();
        } catch (KubernetesClientException | java.io.UncheckedIOException e) {
            index.add("skipped   " + what + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            return null;
        } catch (RuntimeException e) {
            index.add("skipped   " + what + ": " + e);
            return null;
        }
    }

    private void writeIndex(Set<String> namespaces) {
        StringBuilder b = new StringBuilder("# Meshproof diagnostics dump\n")
                .append("# namespaces: ").append(String.join(", ", namespaces)).append('\n')
                .append("# size cap: ").append(maxBytes).append(" bytes, written: ").append(written)
                .append(" bytes; logs: last ").append(tailLines).append(" lines per container\n");
        index.forEach(l -> b.append(l).append('\n'));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("index.txt"), b.toString());
        } catch (IOException e) {
            Progress.info("cannot write " + dir.resolve("index.txt") + ": " + e.getMessage());
        }
    }
}
