package dev.meshproof.workload;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.DockerDaemonImage;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.JavaContainerBuilder;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.Port;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import dev.meshproof.agent.AgentMain;
import dev.meshproof.agent.AgentVersion;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Progress;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Builds the agent's container image with jib-core — no Docker daemon needed — to a tar ({@code docker save}
 * format, for {@code k3s ctr images import}), into a registry the user names, or into a local Docker engine.
 *
 * <p>Layers: the agent's runtime jars (exactly the ones listed in the agent's
 * {@code META-INF/meshproof/agent-dependencies.txt}, picked off this JVM's class path), then the agent's own classes.
 * Entrypoint {@code java … dev.meshproof.agent.AgentMain}; ports 8080 (HTTP) and 9000 (TCP); user 65532 (non-root).
 */
public final class AgentImage {
    public static final String REPOSITORY = "meshproof/agent";
    /** Users' default base: a JRE image from a registry. Override with {@link #base(String)}. */
    public static final String DEFAULT_BASE = "eclipse-temurin:17-jre";
    public static final int HTTP_PORT = 8080;
    public static final int TCP_PORT = 9000;
    /** Non-root, numeric so Kubernetes' runAsNonRoot can verify it (the "nonroot" uid of distroless images). */
    public static final String USER = "65532:65532";
    public static final String APP_ROOT = "/app";
    /** Written by the agent build (agent/pom.xml, dependency:list). */
    static final String DEPENDENCY_LIST = "/META-INF/meshproof/agent-dependencies.txt";

    private String base = DEFAULT_BASE;
    private Path cacheDirectory;

    /** {@code meshproof/agent:<project version>}: the reference the fixtures run. */
    public static String defaultReference() {
        return REPOSITORY + ":" + AgentVersion.VERSION;
    }

    /**
     * The base image: a registry reference ({@code eclipse-temurin:17-jre}, optionally {@code registry://…}),
     * {@code docker://<image>} from the local Docker engine, or {@code tar://<path>} of a {@code docker save} tar.
     */
    public AgentImage base(String reference) {
        this.base = reference;
        return this;
    }

    /** Where Jib keeps base and application layers (default: {@code target/jib-cache} under the working directory). */
    public AgentImage cacheDirectory(Path directory) {
        this.cacheDirectory = directory;
        return this;
    }

    /**
     * Makes {@code reference} runnable on the cluster's nodes: built on {@code base} and imported where the cluster
     * can import images (k3s); elsewhere the nodes must be able to pull it, which is said once.
     */
    public static void makeAvailable(dev.meshproof.cluster.Cluster cluster, String reference, String base, dev.meshproof.core.RunDirectory run) {
        cluster.imageImporter().ifPresentOrElse(importer -> dev.meshproof.core.Progress.timed("build and import the agent image " + reference, () -> {
            Path tar = run.resolve("agent-image.tar");
            new AgentImage().base(base).toTar(tar, reference);
            return importer.importImage(tar);
        }), () -> dev.meshproof.core.Progress.info("agent image " + reference + ": this cluster cannot import images, so its nodes must be able to pull it"));
    }

    /** Builds into a tar file, image named {@code reference}. Offline unless the base comes from a registry. */
    public JibContainer toTar(Path tar, String reference) {
        try {
            return build(Containerizer.to(TarImage.at(tar).named(reference)), "tar " + tar);
        } catch (InvalidImageReferenceException e) {
            throw MeshproofException.usage("image reference \"" + reference + "\" is invalid: " + e.getMessage(),
                    "use repository:tag, e.g. " + defaultReference());
        }
    }

    /** Pushes to a registry; credentials from Docker's config and credential helpers, as {@code docker push} would use. */
    public JibContainer toRegistry(String reference) {
        try {
            return build(Containerizer.to(registryImage(reference)), "registry " + reference);
        } catch (InvalidImageReferenceException e) {
            throw MeshproofException.usage("image reference \"" + reference + "\" is invalid: " + e.getMessage(),
                    "use registry/repository:tag, e.g. ghcr.io/you/meshproof-agent:0.1.0");
        }
    }

    /** Loads into the local Docker engine (Jib runs {@code docker load}). */
    public JibContainer toDockerDaemon(String reference) {
        try {
            return build(Containerizer.to(DockerDaemonImage.named(reference)), "docker " + reference);
        } catch (InvalidImageReferenceException e) {
            throw MeshproofException.usage("image reference \"" + reference + "\" is invalid: " + e.getMessage(), null);
        }
    }

    private JibContainer build(Containerizer containerizer, String where) {
        Path cache = cacheDirectory != null ? cacheDirectory : Paths.get("target", "jib-cache");
        containerizer.setBaseImageLayersCache(cache.resolve("base")).setApplicationLayersCache(cache.resolve("app"))
                .setOfflineMode(!isRegistryBase()).setToolName("meshproof");
        try {
            JibContainerBuilder image = javaBuilder().toContainerBuilder()
                    .setUser(USER)
                    .addExposedPort(Port.tcp(HTTP_PORT))
                    .addExposedPort(Port.tcp(TCP_PORT))
                    .addLabel("org.opencontainers.image.title", "meshproof-agent")
                    .addLabel("org.opencontainers.image.description", "Meshproof agent: HTTP echo, call API and TCP echo for mesh conformance checks")
                    .addLabel("org.opencontainers.image.version", AgentVersion.VERSION)
                    .addLabel("org.opencontainers.image.base.name", base)
                    .addLabel("dev.meshproof.agent.http-port", String.valueOf(HTTP_PORT))
                    .addLabel("dev.meshproof.agent.tcp-port", String.valueOf(TCP_PORT));
            return Progress.timed("building agent image (base " + base + ") to " + where, () -> containerize(image, containerizer));
        } catch (IOException e) {
            throw MeshproofException.environment("cannot read the agent's files for the image: " + e.getMessage(),
                    "rebuild with ./mvnw -B -DskipTests package", e);
        }
    }

    private static JibContainer containerize(JibContainerBuilder image, Containerizer containerizer) {
        try {
            return image.containerize(containerizer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MeshproofException.environment("interrupted while building the agent image", null, e);
        } catch (ExecutionException | RegistryException | CacheDirectoryCreationException | IOException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw MeshproofException.environment("cannot build the agent image: " + cause,
                    "check that the base image is reachable (registry login, docker://… present locally, tar://… exists)", e);
        }
    }

    /** A registry image with the credentials {@code docker login} stored (config file and credential helpers). */
    private static RegistryImage registryImage(String reference) throws InvalidImageReferenceException {
        ImageReference ref = ImageReference.parse(reference);
        return RegistryImage.named(ref).addCredentialRetriever(CredentialRetrieverFactory.forImage(ref, e -> { }).dockerConfig());
    }

    /**
     * The image a base names, as {@code meshproof images} lists it: a registry reference without its
     * {@code registry://}, a {@code docker://} image by its name; empty for a {@code tar://} file, which is no image to fetch.
     */
    public static java.util.Optional<String> baseImageReference(String base) {
        if (base.startsWith("tar://")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(base.startsWith("registry://") ? base.substring("registry://".length())
                : base.startsWith("docker://") ? base.substring("docker://".length()) : base);
    }

    private boolean isRegistryBase() {
        return !(base.startsWith("docker://") || base.startsWith("tar://"));
    }

    private JavaContainerBuilder javaBuilder() throws IOException {
        JavaContainerBuilder java;
        try {
            if (base.startsWith("docker://")) {
                java = JavaContainerBuilder.from(DockerDaemonImage.named(base.substring("docker://".length())));
            } else if (base.startsWith("tar://")) {
                Path tar = Paths.get(base.substring("tar://".length()));
                if (!Files.isRegularFile(tar)) {
                    throw MeshproofException.usage("base image tar " + tar + " does not exist", "pass tar://<path to a docker save tar>");
                }
                java = JavaContainerBuilder.from(TarImage.at(tar));
            } else {
                String ref = base.startsWith("registry://") ? base.substring("registry://".length()) : base;
                java = JavaContainerBuilder.from(registryImage(ref));
            }
        } catch (InvalidImageReferenceException e) {
            throw MeshproofException.usage("base image \"" + base + "\" is not a valid reference: " + e.getMessage(),
                    "use e.g. eclipse-temurin:17-jre, docker://meshproof/debian-jre:bookworm or tar:///path/base.tar");
        }
        java.setAppRoot(APP_ROOT)
                .setMainClass(AgentMain.class.getName())
                // add-opens: Gatling 3.15's file writer needs --add-opens=java.base/java.lang, for `AgentMain load`
                .addJvmFlags("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "--add-opens=java.base/java.lang=ALL-UNNAMED");
        java.addDependencies(agentDependencies());
        Path agentCode = agentCode();
        if (Files.isDirectory(agentCode)) {
            java.addClasses(agentCode).addResources(agentCode); // running from the build's classes directory
        } else {
            java.addProjectDependencies(agentCode); // the agent jar
        }
        return java;
    }

    /** Where the agent's own classes are: its jar, or target/classes in a reactor build. */
    static Path agentCode() {
        try {
            return Paths.get(AgentMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the agent's classes", e);
        }
    }

    /** One runtime dependency of the agent, as its build recorded it. */
    record Dependency(String groupId, String artifactId, String classifier, String version) {
        /** The file name Maven gives the jar. */
        String fileName() {
            return artifactId + "-" + version + (classifier == null ? "" : "-" + classifier) + ".jar";
        }

        /** The same artifact in another version (the harness's class path may have mediated a different one). */
        boolean matchesAnyVersion(String file) {
            String suffix = (classifier == null ? "" : "-" + classifier) + ".jar";
            return file.startsWith(artifactId + "-") && file.endsWith(suffix)
                    && file.length() > artifactId.length() + 1 + suffix.length()
                    && Character.isDigit(file.charAt(artifactId.length() + 1));
        }
    }

    /**
     * The agent's runtime jars, found on this JVM's class path: the exact file the agent build resolved, else the
     * same artifact in the version this class path mediated (the shortest such name, i.e. without a classifier).
     */
    static List<Path> agentDependencies() {
        Map<String, Path> onClassPath = new HashMap<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Paths.get(entry);
            if (p.getFileName() != null && entry.endsWith(".jar")) {
                onClassPath.putIfAbsent(p.getFileName().toString(), p);
            }
        }
        List<Path> jars = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        for (Dependency d : agentDependencyList()) {
            Path jar = onClassPath.get(d.fileName());
            if (jar == null) {
                jar = onClassPath.keySet().stream().filter(d::matchesAnyVersion)
                        .min(java.util.Comparator.comparingInt(String::length)).map(onClassPath::get).orElse(null);
            }
            if (jar == null || !Files.isRegularFile(jar)) {
                absent.add(d.fileName());
            } else {
                jars.add(jar);
            }
        }
        if (!absent.isEmpty()) {
            throw MeshproofException.environment("the agent's runtime jars are not all on the class path; missing: " + String.join(", ", absent),
                    "rebuild with ./mvnw -B -DskipTests package and run through ./meshproof", null);
        }
        return jars;
    }

    /** Parses the agent build's {@code dependency:list} output: {@code group:artifact:type[:classifier]:version:scope}. */
    static List<Dependency> agentDependencyList() {
        try (InputStream in = AgentMain.class.getResourceAsStream(DEPENDENCY_LIST)) {
            if (in == null) {
                throw MeshproofException.environment("the agent's dependency list " + DEPENDENCY_LIST + " is missing",
                        "rebuild with ./mvnw -B -DskipTests package", null);
            }
            List<Dependency> list = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                String[] coordinates = line.trim().split("\\s+")[0].split(":");
                if (coordinates.length == 5) {
                    list.add(new Dependency(coordinates[0], coordinates[1], null, coordinates[3]));
                } else if (coordinates.length == 6) {
                    list.add(new Dependency(coordinates[0], coordinates[1], coordinates[3], coordinates[4]));
                }
            }
            return list;
        } catch (IOException e) {
            throw MeshproofException.environment("cannot read the agent's dependency list: " + e.getMessage(), null, e);
        }
    }
}
