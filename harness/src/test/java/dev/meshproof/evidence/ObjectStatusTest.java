package dev.meshproof.evidence;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ObjectStatus#of} reads the status of a typed object as of a generic one: fabric8 reads Gateway API kinds into
 * its own model classes (a typed HTTPRoute's status is a field), Istio kinds into generic resources. Both from Istio's
 * GAMMA status golden (upstream httproute-status-mesh-service-parent-1.29.6.yaml).
 */
class ObjectStatusTest {
    private static HasMetadata golden() {
        try (InputStream in = ObjectStatusTest.class.getResourceAsStream("/upstream/httproute-status-mesh-service-parent-1.29.6.yaml")) {
            return new KubernetesSerialization().unmarshal(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aTypedHttpRoutesStatusIsRecorded() {
        HasMetadata typed = golden();
        assertThat(typed).isNotInstanceOf(GenericKubernetesResource.class);
        ObjectStatus s = ObjectStatus.of(typed);
        assertThat(s.hasStatus()).isTrue();
        assertThat(s.status().at("/parents/0/conditions/0/message").asText()).isEqualTo("Route was valid");
        assertThat(s.status().at("/parents/0/controllerName").asText()).isEqualTo("istio.io/gateway-controller");
        assertThat(s.status().at("/parents/0/parentRef/kind").asText()).isEqualTo("Service");
    }

    @Test
    void aGenericObjectsStatusIsRecordedAndNoStatusIsNone() {
        KubernetesSerialization k = new KubernetesSerialization();
        GenericKubernetesResource generic = k.unmarshal(k.asYaml(golden()), GenericKubernetesResource.class);
        assertThat(ObjectStatus.of(generic).status().at("/parents/0/conditions/1/type").asText()).isEqualTo("ResolvedRefs");
        generic.getAdditionalProperties().remove("status");
        assertThat(ObjectStatus.of(generic).hasStatus()).isFalse();
    }
}
