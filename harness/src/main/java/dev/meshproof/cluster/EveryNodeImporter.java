package dev.meshproof.cluster;

import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Progress;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Imports an image tar into every node of a k3s cluster, in order: each node's containerd keeps its own images, and
 * a pod may land on any node ({@code --preload}, the agent image). Each node confirms the import in its own
 * {@code ctr images ls} ({@link CtrImageImporter}); a failure names the node.
 */
final class EveryNodeImporter implements ImageImporter {
    private final Map<String, CtrImageImporter> nodes;

    /** @param nodes each node's shell by node name, server first */
    EveryNodeImporter(Map<String, ? extends ContainerShell> nodes) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("no node to import into");
        }
        Map<String, CtrImageImporter> importers = new LinkedHashMap<>();
        nodes.forEach((name, shell) -> importers.put(name, new CtrImageImporter(shell)));
        this.nodes = importers;
    }

    /** @return the references the tar brought, which every node now lists */
    @Override
    public List<String> importImage(Path imageTar) {
        List<String> refs = null;
        for (Map.Entry<String, CtrImageImporter> node : nodes.entrySet()) {
            try {
                refs = node.getValue().importImage(imageTar);
            } catch (MeshproofException e) {
                throw nodes.size() == 1 ? e : new MeshproofException(e.exitCode(), "node " + node.getKey() + ": " + e.getMessage(), e.hint(), e);
            }
            if (nodes.size() > 1) {
                Progress.info("imported " + imageTar.getFileName() + " into node " + node.getKey());
            }
        }
        return refs;
    }

    /** The references every node's containerd lists. */
    Set<String> listedEverywhere() {
        Set<String> common = null;
        for (CtrImageImporter node : nodes.values()) {
            Set<String> listed = node.listed();
            if (common == null) {
                common = new HashSet<>(listed);
            } else {
                common.retainAll(listed);
            }
        }
        return Set.copyOf(common);
    }
}
