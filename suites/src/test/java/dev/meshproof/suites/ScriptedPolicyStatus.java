package dev.meshproof.suites;

import dev.meshproof.mesh.IstioKinds;
import dev.meshproof.suites.ScriptedMesh.Fault;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plays istiod's ambient status writer for the AuthorizationPolicies of ambient namespaces that ztunnel receives (not the
 * targetRefs ones): condition {@code ZtunnelAccepted} as istio/istio@1.29.6 writes it — {@code Accepted} / {@code attached to
 * ztunnel}, or, for rules with HTTP attributes, {@code UnsupportedValue} with the message of
 * pilot/pkg/serviceregistry/kube/controller/ambient/authorization.go lines 467-488 (status {@code True}: the policy is still
 * sent, policies.go line 183). {@link Fault#NO_POLICY_STATUS}: writes nothing (status writer off). Close the watch when done.
 */
final class ScriptedPolicyStatus implements Watcher<GenericKubernetesResource> {
    private final KubernetesClient k;

    private ScriptedPolicyStatus(KubernetesClient k) {
        this.k = k;
    }

    static Watch start(KubernetesClient k, Set<Fault> faults) {
        Watcher<GenericKubernetesResource> w = faults.contains(Fault.NO_POLICY_STATUS) ? new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource resource) {
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        } : new ScriptedPolicyStatus(k);
        return IstioKinds.operations(k, "security.istio.io/v1", "AuthorizationPolicy").inAnyNamespace().watch(w);
    }

    /** The condition istiod writes for the policy (authorization.go {@code convertAuthorizationPolicy}). */
    static Map<String, Object> condition(GenericKubernetesResource p) {
        List<String> http = ScriptedAuthorization.httpAttributes(p);
        boolean deny = "DENY".equals(ScriptedAuthorization.spec(p).get("action"));
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", "ZtunnelAccepted");
        c.put("status", "True");
        if (http.isEmpty()) {
            c.put("reason", "Accepted");
            c.put("message", "attached to ztunnel");
        } else {
            c.put("reason", "UnsupportedValue");
            c.put("message", "ztunnel does not support HTTP attributes (found: " + String.join(", ", http) + "). "
                    + "In ambient mode you must use a waypoint proxy to enforce HTTP rules. "
                    + (deny ? "DENY policy with HTTP attributes is enforced without the HTTP rules. "
                    : "Within an ALLOW policy, rules matching HTTP attributes are omitted. ")
                    + "This will be more restrictive than requested.");
        }
        if (p.getMetadata().getGeneration() != null) {
            c.put("observedGeneration", String.valueOf(p.getMetadata().getGeneration()));
        }
        return c;
    }

    @Override
    public void eventReceived(Action action, GenericKubernetesResource p) {
        if (action == Action.DELETED || action == Action.ERROR || ScriptedAuthorization.hasTargetRefs(p) || !ambient(p.getMetadata().getNamespace())) {
            return;
        }
        Map<String, Object> status = Map.of("conditions", List.of(condition(p)));
        if (status.equals(p.getAdditionalProperties().get("status"))) {
            return; // our own update coming back
        }
        p.getAdditionalProperties().put("status", status);
        try {
            IstioKinds.operations(k, "security.istio.io/v1", "AuthorizationPolicy").inNamespace(p.getMetadata().getNamespace()).resource(p).updateStatus();
        } catch (KubernetesClientException e) {
            // deleted meanwhile: nothing to write
        }
    }

    private boolean ambient(String ns) {
        Namespace n = k.namespaces().withName(ns).get();
        return n != null && n.getMetadata().getLabels() != null && "ambient".equals(n.getMetadata().getLabels().get("istio.io/dataplane-mode"));
    }

    @Override
    public void onClose(WatcherException cause) {
        // test over
    }
}
