package dev.meshproof.agent.load;

import org.junit.jupiter.api.Test;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine's watch on its parent: the run stops when the parent's end of standard input closes, and not before. */
class ExitWithParentTest {
    @Test
    void stopsWhenTheParentsStreamEndsAndNotBefore() throws Exception {
        PipedOutputStream parent = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(parent);
        CountDownLatch gone = new CountDownLatch(1);
        LoadMain.exitWithParent(stdin, gone::countDown);

        assertThat(gone.await(300, TimeUnit.MILLISECONDS)).as("parent alive: keeps running").isFalse();
        parent.write('x'); // anything the parent might write is ignored
        parent.flush();
        assertThat(gone.await(300, TimeUnit.MILLISECONDS)).isFalse();
        parent.close(); // the parent died: its end of the pipe closes
        assertThat(gone.await(5, TimeUnit.SECONDS)).as("stopped when the parent went away").isTrue();
    }
}
