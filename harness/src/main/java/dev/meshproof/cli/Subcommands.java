package dev.meshproof.cli;

import java.util.List;

/** The subcommands of {@code meshproof}, in the order `--help` lists them. Add new ones here. */
final class Subcommands {
    private Subcommands() {
    }

    static List<Object> all() {
        return List.of(new RunCommand(), new VerdictCommand(), new ReportCommand(), new BundleCommand(), new ValidateCommand(), new ChecksCommand(), new InstallCommand(), new ClusterCommand(), new DoctorCommand(), new AgentCommand(),
                new BenchCommand(), new ImagesCommand());
    }
}
