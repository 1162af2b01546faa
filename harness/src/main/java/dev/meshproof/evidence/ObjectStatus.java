package dev.meshproof.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.time.Instant;

/**
 * The status a controller wrote on one object a check applied, as the API server returned it (e.g. an HTTPRoute's
 * {@code status.parents[].conditions}, istiod's on a VirtualService or an AuthorizationPolicy).
 *
 * @param kind       the object's kind
 * @param namespace  its namespace
 * @param name       its name
 * @param generation its {@code metadata.generation} when recorded (conditions carry the generation they observed)
 * @param at         when it was recorded
 * @param status     its {@code status}, verbatim; null when it had none or no longer existed
 * @param exists     false when the object was gone when its status was read
 */
public record ObjectStatus(String kind, String namespace, String name, Long generation, Instant at, JsonNode status, boolean exists) {

    /**
     * The status of {@code object}, generic or typed: fabric8 reads fixtures of kinds it models (e.g. Gateway API's
     * HTTPRoute) into typed objects, whose status is a field, not an additional property.
     */
    public static ObjectStatus of(HasMetadata object) {
        JsonNode status = object instanceof GenericKubernetesResource g ? EvidenceJson.MAPPER.valueToTree(g.getAdditionalProperties().get("status"))
                : EvidenceJson.MAPPER.valueToTree(object).get("status");
        status = status == null || status.isNull() ? null : status;
        return new ObjectStatus(object.getKind(), object.getMetadata().getNamespace(), object.getMetadata().getName(),
                object.getMetadata().getGeneration(), Instant.now(), status, true);
    }

    public static ObjectStatus absent(String kind, String namespace, String name) {
        return new ObjectStatus(kind, namespace, name, null, Instant.now(), null, false);
    }

    /** Whether the controller wrote anything. */
    public boolean hasStatus() {
        return status != null && !status.isEmpty();
    }

    /** Its file name under {@code status/}. */
    String fileName() {
        return kind + "_" + namespace + "_" + name + ".json";
    }
}
