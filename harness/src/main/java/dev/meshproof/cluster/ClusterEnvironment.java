package dev.meshproof.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meshproof.core.RunDirectory;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code environment.json} in the run directory: what the cluster really was, for a reviewer's fingerprint — the
 * Kubernetes server version, each node's OS, kernel, container runtime and kubelet ({@code status.nodeInfo}), and
 * the image and image digest every container of the mesh's namespace actually ran ({@code status.containerStatuses}:
 * {@code imageID} is the digest the runtime resolved, not the tag asked for). Best effort: what cannot be read is
 * recorded as an error and the run goes on.
 */
public final class ClusterEnvironment {
    public static final String FILE = "environment.json";

    private ClusterEnvironment() {
    }

    public static void record(KubernetesClient client, String meshNamespace, RunDirectory run) {
        Map<String, Object> doc = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        doc.put("kubernetesVersion", attempt(errors, "server version", () -> client.getKubernetesVersion().getGitVersion()));
        List<Map<String, Object>> nodes = new ArrayList<>();
        List<Node> listed = attempt(errors, "nodes", () -> client.nodes().list().getItems());
        for (Node n : listed == null ? List.<Node>of() : listed) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("name", n.getMetadata().getName());
            NodeSystemInfo info = n.getStatus() == null ? null : n.getStatus().getNodeInfo();
            if (info != null) {
                node.put("osImage", info.getOsImage());
                node.put("kernelVersion", info.getKernelVersion());
                node.put("containerRuntimeVersion", info.getContainerRuntimeVersion());
                node.put("kubeletVersion", info.getKubeletVersion());
                node.put("architecture", info.getArchitecture());
            }
            nodes.add(node);
        }
        doc.put("nodes", nodes);
        List<Map<String, Object>> images = new ArrayList<>();
        List<Pod> pods = attempt(errors, "pods in " + meshNamespace, () -> client.pods().inNamespace(meshNamespace).list().getItems());
        for (Pod p : pods == null ? List.<Pod>of() : pods) {
            List<ContainerStatus> statuses = p.getStatus() == null ? null : p.getStatus().getContainerStatuses();
            for (ContainerStatus c : statuses == null ? List.<ContainerStatus>of() : statuses) {
                Map<String, Object> image = new LinkedHashMap<>();
                image.put("pod", meshNamespace + "/" + p.getMetadata().getName());
                image.put("container", c.getName());
                image.put("image", c.getImage());
                image.put("imageID", c.getImageID());
                images.add(image);
            }
        }
        doc.put("meshImages", images);
        if (!errors.isEmpty()) {
            doc.put("errors", errors);
        }
        try {
            run.write(FILE, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T attempt(List<String> errors, String what, Supplier<T> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            errors.add(what + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            return null;
        }
    }
}
