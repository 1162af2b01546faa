package dev.meshproof.cli;

import dev.meshproof.cluster.Cluster;
import dev.meshproof.cluster.ClusterOptions;
import dev.meshproof.cluster.ClusterProviders;
import dev.meshproof.cluster.DockerEngine;
import dev.meshproof.cluster.ImageSource;
import dev.meshproof.cluster.K3sClusterProvider;
import dev.meshproof.cluster.LongLivedK3s;
import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;
import dev.meshproof.mesh.IstioPlanner;
import dev.meshproof.mesh.MeshInstallers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code meshproof cluster up|down|status}: a k3s kept running between iterations. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Keep a k3s cluster running between iterations (up), show it (status), remove it (down).",
        subcommands = {ClusterCommand.Up.class, ClusterCommand.Status.class, ClusterCommand.Down.class})
final class ClusterCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: up, status or down");
    }

    /** Where {@code up} writes the kubeconfig by default: reports/cluster/ under the Meshproof home (git-ignored). */
    static Path defaultDir() {
        return Path.of(System.getProperty("meshproof.home", ".")).resolve("reports").resolve("cluster");
    }

    /** What up, status and down share: the cluster flags and where 'cluster up' keeps its kubeconfig. */
    abstract static class Sub implements Callable<Integer> {
        @Mixin
        ClusterOptionsMixin cluster;
        @Option(names = "--out", paramLabel = "DIR", description = "Directory of the cluster's kubeconfig.yaml (default: reports/cluster).")
        Path out;
        @Spec
        CommandSpec spec;

        Path outDir() {
            return out != null ? out : defaultDir();
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    static void requireK3s(ClusterOptions options, String command) {
        if (!ClusterOptions.K3S.equals(options.kind())) {
            throw MeshproofException.usage("cluster " + command + " manages the k3s container; with --cluster kubeconfig there is nothing to "
                    + command, "check your own cluster with: meshproof cluster status --cluster kubeconfig --kubeconfig FILE");
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = {"Start k3s in Docker and leave it running (or reattach to the running one).",
            "Prints the kubeconfig path to use with --cluster kubeconfig --kubeconfig FILE."})
    static final class Up extends Sub {
        @Mixin
        MeshOptionsMixin mesh;

        @Option(names = "--preload", paramLabel = "DIR|docker", description = "Import Istio's images for --mode into every k3s node from DIR"
                + " (docker save tars) or from the local Docker engine, so a later install pulls nothing (`meshproof images` lists them).")
        String preload;

        @Option(names = "--mode", defaultValue = "ambient", description = "With --preload: the Istio mode whose images to import,"
                + " ambient, sidecar or hybrid (both) (default: ${DEFAULT-VALUE}).")
        String mode;

        @Override
        public Integer call() {
            ClusterOptions options = cluster.toOptions();
            requireK3s(options, "up");
            MeshInstallers.Options meshOptions = preload == null ? null : mesh.toOptions(MeshOptionsMixin.parseMode(mode));
            RunDirectory dir = RunDirectory.at(outDir());
            Path work = preload == null ? null : tempDir("meshproof-cluster-up");
            try (Scope scope = new Scope("cluster-up")) {
                ImageSource images = preload == null ? null : PreloadOption.parse(preload, options, DockerEngines.get(), RunDirectory.at(work));
                Cluster k3s = new LongLivedK3s(DockerEngines.get()).up(ClusterProviders.k3sImage(options), options.pullTimeout(),
                        options.registryMirror(), options.nodes(), dir, scope);
                if (images != null) {
                    PreloadOption.into(k3s, images, IstioPlanner.plan(meshOptions.mode(), k3s.platform(), k3s.cniBinDir(),
                            meshOptions.versions(), meshOptions.values()), meshOptions, RunDirectory.at(work));
                }
                PrintWriter w = out();
                w.println("k3s is running: " + k3s.description());
                w.println("kubeconfig (mode 0600): " + k3s.kubeconfig());
                w.println("use it:   ./meshproof run --cluster kubeconfig --kubeconfig " + k3s.kubeconfig());
                w.println("          kubectl --kubeconfig " + k3s.kubeconfig() + " get nodes");
                w.println("stop it:  ./meshproof cluster down");
            } finally {
                if (work != null) {
                    deleteTree(work); // the saved image tars and rendered values: the images are in the nodes now
                }
            }
            return ExitCode.OK.code();
        }
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = {"Say whether the k3s from 'cluster up' is running (exit 0) or not (exit 1);",
            "with --cluster kubeconfig, whether your cluster answers (exit 0) or not (exit 3)."})
    static final class Status extends Sub {
        @Override
        public Integer call() {
            ClusterOptions options = cluster.toOptions();
            PrintWriter w = out();
            if (ClusterOptions.KUBECONFIG.equals(options.kind())) {
                return kubeconfigStatus(options, w);
            }
            List<DockerEngine.ContainerSummary> found = new LongLivedK3s(DockerEngines.get()).find();
            List<DockerEngine.ContainerSummary> running = found.stream().filter(c -> "running".equals(c.state())).toList();
            found.stream().filter(c -> !"running".equals(c.state())).forEach(c ->
                    w.println("stopped k3s container " + c.shortId() + " (" + c.image() + ", " + c.state() + "); remove it with: meshproof cluster down"));
            if (running.isEmpty()) {
                w.println("no Meshproof k3s cluster is running; start one with: meshproof cluster up");
                return ExitCode.CHECKS_FAILED.code();
            }
            Path kubeconfig = outDir().resolve("kubeconfig.yaml");
            for (DockerEngine.ContainerSummary c : running) {
                Integer api = c.publishedPorts().get(6443);
                String node = c.labels().get(K3sClusterProvider.NODE_LABEL);
                w.println((api == null && node != null ? "k3s node " + node + " is running: container " : "k3s is running: container ")
                        + c.shortId() + " (" + c.image() + ")" + (api == null ? "" : ", API on host port " + api));
            }
            w.println(Files.isRegularFile(kubeconfig)
                    ? "kubeconfig: " + kubeconfig.toAbsolutePath()
                    : "kubeconfig not found at " + kubeconfig.toAbsolutePath() + "; run 'meshproof cluster up' again to rewrite it");
            return ExitCode.OK.code();
        }

        private static int kubeconfigStatus(ClusterOptions options, PrintWriter w) {
            Path tmp = tempDir("meshproof-status");
            try (Scope scope = new Scope("cluster-status"); Cluster c = ClusterProviders.create(options).provision(RunDirectory.at(tmp), scope)) {
                w.println("reachable: " + c.description());
                return ExitCode.OK.code();
            } finally {
                deleteTree(tmp); // it held a copy of the kubeconfig
            }
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Remove the k3s container(s) started by 'cluster up', their network and the kubeconfig it wrote.")
    static final class Down extends Sub {
        @Override
        public Integer call() throws IOException {
            requireK3s(cluster.toOptions(), "down");
            PrintWriter w = out();
            List<DockerEngine.ContainerSummary> removed = new LongLivedK3s(DockerEngines.get()).down();
            removed.forEach(c -> w.println("removed k3s container " + c.shortId() + " (" + c.image() + ")"));
            if (removed.isEmpty()) {
                w.println("no Meshproof k3s cluster to remove");
            }
            Path kubeconfig = outDir().resolve("kubeconfig.yaml");
            if (Files.deleteIfExists(kubeconfig)) {
                w.println("deleted " + kubeconfig.toAbsolutePath());
            }
            return ExitCode.OK.code();
        }
    }

    /** Deletes one of the commands' temp directories, quietly: one we could not clean, the OS will. */
    static void deleteTree(Path root) {
        try {
            dev.meshproof.core.FileTrees.delete(root);
        } catch (IOException ignored) {
            // a temp dir we could not clean; the OS will
        }
    }

}
