package dev.meshproof.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshproof.core.MeshproofException;

import java.io.IOException;

/**
 * The kubeconfig k3s writes inside the server ({@link #PATH}, server {@code https://127.0.0.1:6443}) pointed at the
 * API port as the host publishes it — what K3sContainer 2.0.5 does once k3s has started
 * (testcontainers-java@2.0.5:modules/k3s/src/main/java/org/testcontainers/k3s/K3sContainer.java, containerIsStarted):
 * the first cluster's server replaced, the current context {@code default}. Everything else, credentials included,
 * stays as k3s wrote it; nothing of it is printed.
 */
final class K3sKubeconfig {
    static final String PATH = "/etc/rancher/k3s/k3s.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private K3sKubeconfig() {
    }

    static String pointedAt(String k3sYaml, String serverUrl) {
        try {
            ObjectNode config = (ObjectNode) YAML.readTree(k3sYaml);
            JsonNode cluster = config.at("/clusters/0/cluster");
            if (!cluster.isObject()) {
                throw MeshproofException.environment("the k3s server's " + PATH + " names no cluster", "rerun with --verbose", null);
            }
            ((ObjectNode) cluster).put("server", serverUrl);
            config.put("current-context", "default");
            return YAML.writerWithDefaultPrettyPrinter().writeValueAsString(config);
        } catch (IOException | ClassCastException e) {
            // the message of a YAML parse error quotes the document: keep it out of the output
            throw MeshproofException.environment("the k3s server's " + PATH + " is not a kubeconfig", "rerun with --verbose", null);
        }
    }
}
