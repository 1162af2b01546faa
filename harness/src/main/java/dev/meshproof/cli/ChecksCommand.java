package dev.meshproof.cli;

import dev.meshproof.conformance.CheckCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code meshproof checks}: the conformance check catalogue. */
@Command(name = "checks", mixinStandardHelpOptions = true,
        description = "List the conformance checks: id, level, data planes, and what each proves.")
public final class ChecksCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Override
    public Integer call() {
        CheckCatalog catalog = CheckCatalog.load();
        if (catalog.all().isEmpty()) {
            spec.commandLine().getErr().println("no checks on the class path: run the launcher ./meshproof (it includes the suites module)");
            return 4;
        }
        catalog.all().forEach(e -> spec.commandLine().getOut().println(CheckCatalog.describe(e)));
        return 0;
    }
}
