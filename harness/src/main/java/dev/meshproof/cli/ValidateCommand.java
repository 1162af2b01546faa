package dev.meshproof.cli;

import dev.meshproof.certify.BundleValidator;
import dev.meshproof.conformance.CheckCatalog;
import dev.meshproof.core.Versions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code meshproof validate BUNDLE}: a reviewer's check of a vendor's bundle, with no cluster. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check a bundle written by `meshproof bundle`, with no cluster: integrity (every file's SHA-256), completeness",
                "(every core check present and not skipped for the data planes the run claims), re-derivation (every verdict recomputed",
                "from the bundled evidence by this Meshproof; a claimed PASS the evidence does not support is a violation) and consistency",
                "(the Istio version in the report is the one the run recorded). One line per violation.",
                "Exit 0: valid; 1: invalid; 2: the bundle cannot be read."})
public final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "BUNDLE", description = "A .tar.gz written by `meshproof bundle RUN_DIR`.")
    Path bundle;

    @Override
    public Integer call() {
        BundleValidator.Result result = new BundleValidator(CheckCatalog.load(), Versions.defaults()).validate(bundle);
        PrintWriter out = spec.commandLine().getOut();
        result.violations().forEach(out::println);
        out.println((result.valid() ? "valid: " : "invalid: " + result.violations().size() + " violation(s); ")
                + result.files() + " files verified, " + result.verdicts() + " verdicts re-derived");
        out.flush();
        return result.valid() ? 0 : 1;
    }
}
