package dev.meshproof.mesh;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request {@link ObjectApplier#serverSide} sends (the CRUD mock cannot execute server-side apply, so the
 * orchestration tests apply differently; this pins down what reaches a real API server).
 */
@EnableKubernetesMockClient
class ServerSideApplyTest {
    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void largeCrdGoesAsOneApplyPatchWithFieldManagerMeshproofForcedAndNoLastAppliedAnnotation() throws Exception {
        // bigger than the 262144-byte annotation limit a client-side apply would hit, as the real HTTPRoute CRD is
        // (kubernetes-sigs/gateway-api@v1.4.1:config/crd/standard/gateway.networking.k8s.io_httproutes.yaml, 345 KB)
        CustomResourceDefinition crd = new CustomResourceDefinitionBuilder().withNewMetadata().withName("httproutes.gateway.networking.k8s.io")
                .addToAnnotations("description", "x".repeat(300_000)).endMetadata()
                .withNewSpec().withGroup("gateway.networking.k8s.io").withScope("Namespaced").endSpec().build();
        server.expect().patch().withPath("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/httproutes.gateway.networking.k8s.io?fieldManager=meshproof&force=true")
                .andReturn(200, crd).once();

        ObjectApplier.serverSide(client).apply(crd);

        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("PATCH");
        assertThat(request.getHeader("Content-Type")).startsWith("application/apply-patch+yaml");
        assertThat(request.getPath()).endsWith("?fieldManager=meshproof&force=true");
        String body = request.getBody().readUtf8();
        assertThat(body).contains("httproutes.gateway.networking.k8s.io").doesNotContain("last-applied-configuration");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }
}
