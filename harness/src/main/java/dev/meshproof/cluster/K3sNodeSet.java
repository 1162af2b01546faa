package dev.meshproof.cluster;

import dev.meshproof.core.Progress;
import org.testcontainers.lifecycle.Startable;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The node containers of one k3s cluster and its Docker network, undone in the reverse order they were made: the
 * agents (the last added first), the server, then the network, which Docker refuses to remove while a container is
 * attached to it. A container is added before it starts, so one that started but never got ready is stopped too.
 * Stopping goes on past a failure, and happens once, whoever asks first (the run's scope, the cluster's close).
 */
final class K3sNodeSet implements AutoCloseable {
    /** A node's container under its node name. */
    record Member(String name, Startable container) {
    }

    private final List<Member> members = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private String networkName;
    private AutoCloseable network;

    /** The network the nodes are attached to; removed after every container is stopped. */
    synchronized void network(String name, AutoCloseable remove) {
        this.networkName = name;
        this.network = remove;
    }

    synchronized Member add(String name, Startable container) {
        Member m = new Member(name, container);
        members.add(m);
        return m;
    }

    synchronized List<Member> members() {
        return List.copyOf(members);
    }

    /**
     * Starts {@code nodes} at the same time and returns when every start has ended; throws {@link StartFailed} for the
     * first that failed (in the given order) once all have ended, so that nothing is still starting while the scope
     * stops them.
     */
    static void startTogether(List<Member> nodes) {
        if (nodes.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size(), r -> {
            Thread t = new Thread(r, "meshproof-k3s-node-start");
            t.setDaemon(true);
            return t;
        });
        try {
            List<CompletableFuture<Void>> starts = nodes.stream()
                    .map(m -> CompletableFuture.runAsync(() -> m.container().start(), pool)).toList();
            try {
                CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).exceptionally(failed -> null).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartFailed(nodes.get(0).name(), e);
            } catch (ExecutionException cannotHappen) {
                throw new IllegalStateException(cannotHappen);
            }
            for (int i = 0; i < nodes.size(); i++) {
                try {
                    starts.get(i).join();
                } catch (CompletionException e) {
                    throw new StartFailed(nodes.get(i).name(), e.getCause() != null ? e.getCause() : e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<Member> reverse;
        AutoCloseable net;
        String netName;
        synchronized (this) {
            reverse = new ArrayList<>(members);
            net = network;
            netName = networkName;
        }
        java.util.Collections.reverse(reverse);
        for (Member m : reverse) {
            try {
                m.container().stop();
            } catch (RuntimeException e) {
                Progress.info("warning: could not stop the k3s node " + m.name() + ": " + e.getMessage());
            }
        }
        if (net != null) {
            try {
                net.close();
            } catch (Exception e) {
                Progress.info("warning: could not remove the Docker network " + netName + ": " + e.getMessage());
            }
        }
    }

    /** A node container that did not start; names the node. */
    static final class StartFailed extends RuntimeException {
        private final String node;

        StartFailed(String node, Throwable cause) {
            super(node + ": " + cause.getMessage(), cause);
            this.node = node;
        }

        String node() {
            return node;
        }
    }
}
