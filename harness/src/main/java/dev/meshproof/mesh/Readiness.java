package dev.meshproof.mesh;

/**
 * One named thing an install step waits for: which object, and the condition it must reach.
 * {@link #describe()} is what progress lines, the dry-run plan and time-out messages print.
 */
public record Readiness(Kind kind, String namespace, String name) {

    public enum Kind {
        /** Every CustomResourceDefinition the step applied has condition Established=True. */
        CRDS_ESTABLISHED("CustomResourceDefinitions", "Established=True"),
        /** Deployment condition Available=True with at least one available replica. */
        DEPLOYMENT_AVAILABLE("Deployment", "Available=True"),
        /** DaemonSet with numberReady == desiredNumberScheduled > 0. */
        DAEMONSET_READY("DaemonSet", "numberReady=desiredNumberScheduled>0"),
        /** MutatingWebhookConfiguration exists. */
        WEBHOOK_PRESENT("MutatingWebhookConfiguration", "present"),
        /** GatewayClass exists (istiod creates it; nobody applies it). */
        GATEWAYCLASS_PRESENT("GatewayClass", "present");

        private final String objectKind;
        private final String condition;

        Kind(String objectKind, String condition) {
            this.objectKind = objectKind;
            this.condition = condition;
        }

        public String objectKind() {
            return objectKind;
        }

        public String condition() {
            return condition;
        }
    }

    public static Readiness crdsEstablished(String whose) {
        return new Readiness(Kind.CRDS_ESTABLISHED, null, whose);
    }

    public static Readiness deploymentAvailable(String namespace, String name) {
        return new Readiness(Kind.DEPLOYMENT_AVAILABLE, namespace, name);
    }

    public static Readiness daemonSetReady(String namespace, String name) {
        return new Readiness(Kind.DAEMONSET_READY, namespace, name);
    }

    public static Readiness webhookPresent(String name) {
        return new Readiness(Kind.WEBHOOK_PRESENT, null, name);
    }

    public static Readiness gatewayClassPresent(String name) {
        return new Readiness(Kind.GATEWAYCLASS_PRESENT, null, name);
    }

    /** The object, e.g. "DaemonSet istio-system/ztunnel" or "CustomResourceDefinitions of chart base". */
    public String object() {
        if (kind == Kind.CRDS_ESTABLISHED) {
            return kind.objectKind() + " of " + name;
        }
        return kind.objectKind() + " " + (namespace == null ? "" : namespace + "/") + name;
    }

    /** e.g. "DaemonSet istio-system/ztunnel numberReady=desiredNumberScheduled>0". */
    public String describe() {
        return object() + " " + kind.condition();
    }
}
