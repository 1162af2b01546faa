package dev.meshproof.cluster;

import dev.meshproof.core.Scope;
import org.junit.jupiter.api.Test;
import org.testcontainers.lifecycle.Startable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Close order and concurrent start of a cluster's node containers, with containers that record what happens to them. */
class K3sNodeSetTest {
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    private Startable node(String name, RuntimeException onStart, RuntimeException onStop) {
        return new Startable() {
            @Override
            public void start() {
                events.add("start " + name);
                if (onStart != null) {
                    throw onStart;
                }
            }

            @Override
            public void stop() {
                events.add("stop " + name);
                if (onStop != null) {
                    throw onStop;
                }
            }
        };
    }

    @Test
    void agentsStopLastFirstThenTheServerThenTheNetworkOnceAndPastAFailure() {
        K3sNodeSet set = new K3sNodeSet();
        set.network("meshproof-k3s-x", () -> events.add("remove network"));
        set.add("meshproof-server", node("meshproof-server", null, null));
        set.add("meshproof-agent-1", node("meshproof-agent-1", null, new IllegalStateException("already gone")));
        set.add("meshproof-agent-2", node("meshproof-agent-2", null, null));

        try (Scope scope = new Scope("t")) {
            scope.onClose("stop the k3s node containers and their Docker network", set::close);
        }
        set.close(); // the cluster's own close after the scope's: nothing twice

        assertThat(events).containsExactly("stop meshproof-agent-2", "stop meshproof-agent-1", "stop meshproof-server", "remove network");
    }

    @Test
    void agentsStartTogetherAndAFailureNamesTheNodeOnlyAfterEveryStartEnded() throws InterruptedException {
        CountDownLatch bothStarted = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        Startable slow = new Startable() {
            @Override
            public void start() {
                bothStarted.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                events.add("started agent-2");
            }

            @Override
            public void stop() {
            }
        };
        Startable failing = new Startable() {
            @Override
            public void start() {
                bothStarted.countDown();
                try {
                    // both are in start() at once: the starts run concurrently, not one after the other
                    assertThat(bothStarted.await(5, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                release.countDown();
                throw new IllegalStateException("Container startup failed");
            }

            @Override
            public void stop() {
            }
        };
        K3sNodeSet set = new K3sNodeSet();
        List<K3sNodeSet.Member> agents = List.of(set.add("meshproof-agent-1", failing), set.add("meshproof-agent-2", slow));

        assertThatThrownBy(() -> K3sNodeSet.startTogether(agents)).isInstanceOfSatisfying(K3sNodeSet.StartFailed.class, e -> {
            assertThat(e.node()).isEqualTo("meshproof-agent-1");
            assertThat(e.getCause()).hasMessage("Container startup failed");
        });
        assertThat(events).containsExactly("started agent-2"); // it was not abandoned mid-start
        assertThat(set.members()).extracting(K3sNodeSet.Member::name).containsExactly("meshproof-agent-1", "meshproof-agent-2");
    }

    @Test
    void startingNoAgentsDoesNothing() {
        K3sNodeSet.startTogether(List.of());
        assertThat(events).isEmpty();
    }
}
