package dev.meshproof.cluster.preflight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshproof.cluster.TestKubeconfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The mock server plays the API's authorizer: it answers each SelfSubjectAccessReview from a deny list. */
@EnableKubernetesMockClient
class RbacCheckTest {
    static final String SSAR = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    static final ObjectMapper JSON = new ObjectMapper();

    KubernetesMockServer server;
    KubernetesClient client;
    @TempDir
    Path tmp;
    final List<String> asked = new ArrayList<>();

    /** Answers allowed=true unless "verb resource" is in {@code denied}. */
    void authorizer(Set<String> denied) {
        server.expect().post().withPath(SSAR).andReply(201, request -> {
            try {
                ObjectNode review = (ObjectNode) JSON.readTree(request.getUtf8Body());
                JsonNode attrs = review.path("spec").path("resourceAttributes");
                String key = attrs.path("verb").asText() + " " + attrs.path("resource").asText()
                        + (attrs.hasNonNull("subresource") ? "/" + attrs.path("subresource").asText() : "");
                asked.add(key + (attrs.hasNonNull("namespace") ? " @" + attrs.path("namespace").asText() : ""));
                review.putObject("status").put("allowed", !denied.contains(key));
                return JSON.writeValueAsString(review); // a String: the mock serializes other objects with its own mapper
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).always();
    }

    CheckResult run() throws IOException {
        Path kc = TestKubeconfig.write(tmp.resolve("kc"), client.getMasterUrl().toString());
        try (KubernetesAccess access = new KubernetesAccess(kc, null)) {
            return new RbacCheck(access, Permission.installer()).run();
        }
    }

    @Test
    void clusterAdminLikeUserPassesAndEveryPermissionIsAsked() throws IOException {
        authorizer(Set.of());
        CheckResult r = run();
        assertThat(r.status()).isEqualTo(CheckResult.Status.OK);
        assertThat(r.detail()).isEqualTo("all " + Permission.installer().size() + " permissions granted");
        assertThat(asked).hasSize(Permission.installer().size())
                .contains("create customresourcedefinitions", "create mutatingwebhookconfigurations", "create daemonsets @istio-system",
                        "get pods/log");
    }

    @Test
    void deniedPermissionsFailAndAreListed() throws IOException {
        authorizer(Set.of("create customresourcedefinitions", "create clusterroles"));
        CheckResult r = run();
        assertThat(r.status()).isEqualTo(CheckResult.Status.FAIL);
        assertThat(r.detail()).isEqualTo("denied: create customresourcedefinitions.apiextensions.k8s.io, create clusterroles.rbac.authorization.k8s.io");
        assertThat(r.hint()).contains("cluster-admin");
    }

    @Test
    void anApiThatCannotAnswerFails() throws IOException {
        server.expect().post().withPath(SSAR).andReturn(404, "{\"kind\":\"Status\",\"message\":\"not found\"}").always();
        CheckResult r = run();
        assertThat(r.status()).isEqualTo(CheckResult.Status.FAIL);
        assertThat(r.detail()).startsWith("cannot ask the API server (SelfSubjectAccessReview)");
    }
}
