package dev.meshproof.agent;

import dev.meshproof.agent.load.LoadMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code AgentMain load --spec SPEC.json --out DIR}: one load-engine run in this JVM, exactly as
 * {@link LoadMain} runs it (same arguments, outputs and exit codes: 0 run completed, 2 bad arguments or spec,
 * 4 the run failed), so a client pod can run the engine through the image's own entrypoint.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Run the load engine once: an open-model run of SPEC.json; result.json, HdrHistogram logs and Gatling's report in DIR.")
final class LoadCommand implements Callable<Integer> {
    @Option(names = "--spec", required = true, paramLabel = "SPEC.json", description = "the load spec (written by the harness's LoadEngine / LoadMain.writeSpec)")
    Path spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "run directory for result.json, the histogram logs and the Gatling report")
    Path out;

    @Override
    public Integer call() {
        return LoadMain.run(new String[]{"--spec", spec.toString(), "--out", out.toString()});
    }
}
