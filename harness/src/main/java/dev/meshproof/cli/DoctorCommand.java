package dev.meshproof.cli;

import dev.meshproof.cluster.ClusterOptions;
import dev.meshproof.cluster.ClusterProviders;
import dev.meshproof.cluster.DockerEngine;
import dev.meshproof.cluster.preflight.Check;
import dev.meshproof.cluster.preflight.CheckResult;
import dev.meshproof.cluster.preflight.ClusterReachableCheck;
import dev.meshproof.cluster.preflight.DockerReachableCheck;
import dev.meshproof.cluster.preflight.Doctor;
import dev.meshproof.cluster.preflight.ImagePullCheck;
import dev.meshproof.cluster.preflight.InotifyLimitsCheck;
import dev.meshproof.cluster.preflight.KernelModulesCheck;
import dev.meshproof.cluster.preflight.KubeconfigCheck;
import dev.meshproof.cluster.preflight.KubernetesAccess;
import dev.meshproof.cluster.preflight.Permission;
import dev.meshproof.cluster.preflight.PrivilegedContainerCheck;
import dev.meshproof.cluster.preflight.RbacCheck;
import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code meshproof doctor}: pre-flight checks in categories, like {@code linkerd check}. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Pre-flight checks: Docker, k3s image, host kernel modules and limits (--cluster k3s);",
                "kubeconfig, API reachability and RBAC (--cluster kubeconfig). Exit 1 when a required check fails."})
final class DoctorCommand implements Callable<Integer> {
    @Mixin
    ClusterOptionsMixin cluster;
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default) or json: {success, categories[{categoryName, checks[{description, result, detail, hint}]}]}.")
    String output;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ClusterOptions options = cluster.toOptions();
        if (!output.equals("table") && !output.equals("json")) {
            throw MeshproofException.usage("unknown --output '" + output + "'", "use --output table or --output json");
        }
        boolean json = output.equals("json");
        PrintWriter stdout = spec.commandLine().getOut();
        // with json the table goes nowhere and stdout carries only the JSON document
        PrintWriter out = json ? new PrintWriter(Writer.nullWriter()) : stdout;
        out.println("meshproof doctor (--cluster " + options.kind() + ")");
        List<Doctor.Outcome> outcomes;
        if (ClusterOptions.KUBECONFIG.equals(options.kind())) {
            try (KubernetesAccess access = new KubernetesAccess(options.kubeconfig(), options.context())) {
                outcomes = new Doctor(List.of(new Doctor.Category("kubernetes-api", List.of(
                        new KubeconfigCheck(access), new ClusterReachableCheck(access), new RbacCheck(access, Permission.installer())))))
                        .run(out);
            }
            out.println("note: the kernel modules ztunnel and istio-cni need are not checked on your cluster's nodes from here (see docs/clusters.md)");
        } else {
            outcomes = new Doctor(k3sCategories(options, DockerEngines.get())).run(out);
        }
        if (json) {
            stdout.println(Doctor.toJson(outcomes));
            stdout.flush();
        }
        return Doctor.anyFailed(outcomes) ? ExitCode.CHECKS_FAILED.code() : ExitCode.OK.code();
    }

    static List<Doctor.Category> k3sCategories(ClusterOptions options, DockerEngine docker) {
        String image = ClusterProviders.k3sImage(options);
        List<Check> host = new ArrayList<>(KernelModulesCheck.forThisHost());
        host.add(InotifyLimitsCheck.forThisHost());
        String dockerHost = System.getenv("DOCKER_HOST");
        if (dockerHost != null && dockerHost.startsWith("tcp://")) {
            // The k3s node uses the Docker host's kernel; this machine's kernel says nothing about a remote one.
            host = host.stream().<Check>map(c -> new NotHere(c.description(), dockerHost)).toList();
        }
        return List.of(
                new Doctor.Category("docker", List.of(new DockerReachableCheck(docker),
                        new ImagePullCheck(docker, image, options.pullTimeout()),
                        new PrivilegedContainerCheck(docker, image, Duration.ofSeconds(30)))),
                new Doctor.Category("host kernel (runs the k3s node)", host));
    }

    /** A host check that cannot be made from this machine. */
    private record NotHere(String description, String dockerHost) implements Check {
        @Override
        public CheckResult run() {
            return CheckResult.skipped("Docker runs on " + dockerHost + "; check that host");
        }
    }
}
