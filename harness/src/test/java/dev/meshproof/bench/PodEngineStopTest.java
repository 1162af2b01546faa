package dev.meshproof.bench;

import dev.meshproof.agent.load.LoadMain;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-pod engine is stopped through the exec itself: it is started with --exit-with-parent and its stdin open,
 * and stopping closes that input (end of input: the engine halts) and then the stream. A fake exec records it.
 */
class PodEngineStopTest {
    @Test
    void theInPodEngineWatchesItsParentsStream() {
        assertThat(new PodLoadExecutor(null).command("/tmp/spec.json", "/tmp/run")).endsWith(LoadMain.EXIT_WITH_PARENT);
    }

    @Test
    void theInPodEngineGetsTheLocalEnginesJvmFlags() {
        List<String> command = new PodLoadExecutor(null).command("/tmp/spec.json", "/tmp/run");
        assertThat(command).containsSubsequence(dev.meshproof.agent.load.LoadEngine.engineJvmFlags());
        assertThat(command).contains("-Xms" + dev.meshproof.agent.load.LoadEngine.HEAP, "-XX:+AlwaysPreTouch", "-XX:+UseG1GC");
        assertThat(command.stream().filter(a -> a.startsWith("-X")).toList()).as("no flag of its own")
                .isSubsetOf(dev.meshproof.agent.load.LoadEngine.engineJvmFlags());
    }

    @Test
    void stoppingClosesTheEnginesInputThenTheExec() {
        List<String> recorded = new ArrayList<>();
        OutputStream stdin = new ByteArrayOutputStream() {
            @Override
            public void close() {
                recorded.add("stdin closed");
            }
        };
        ExecWatch watch = (ExecWatch) Proxy.newProxyInstance(ExecWatch.class.getClassLoader(), new Class<?>[]{ExecWatch.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getInput" -> stdin;
                    case "close" -> {
                        recorded.add("exec closed");
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });

        PodLoadExecutor.StopOnShutdown.stop(watch);

        assertThat(recorded).containsExactly("stdin closed", "exec closed");
    }
}
