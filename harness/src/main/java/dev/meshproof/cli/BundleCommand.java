package dev.meshproof.cli;

import dev.meshproof.certify.Bundle;
import dev.meshproof.core.Versions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code meshproof bundle RUN_DIR}: the run as one checksummed archive to hand to a reviewer. */
@Command(name = "bundle", mixinStandardHelpOptions = true,
        description = {"Pack a run directory into one .tar.gz for a reviewer: the evidence and reports under run/, fingerprint.json (the",
                "environment the run recorded) and manifest.json (the SHA-256 of every file). kubeconfig.yaml is left out, and the bundle is",
                "refused, naming the file, if any other file holds a credential (a token, a client key, a private key, a Secret's data).",
                "Exit 0: written; 2: not a run directory, or a credential was found."})
public final class BundleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RunDirArgument run;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the bundle (default: RUN_DIR.tar.gz, next to the run directory).")
    Path out;

    @Override
    public Integer call() {
        Path runDir = run.existing().toAbsolutePath().normalize();
        Path target = out != null ? out : runDir.resolveSibling(runDir.getFileName() + ".tar.gz");
        Bundle.write(runDir, target, Versions.defaults());
        spec.commandLine().getOut().println("bundle: " + target);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
