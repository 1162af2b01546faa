package dev.meshproof.agent;

import java.util.Map;

/**
 * Who this agent is, from its environment (the fixtures fill these from the downward API):
 * {@code POD_NAME}, {@code POD_NAMESPACE}, {@code SERVICE_ACCOUNT}, {@code VERSION} (the pod's {@code version} label).
 * Outside Kubernetes the pod name falls back to the host name and the rest stay empty.
 */
public record AgentIdentity(String pod, String namespace, String serviceAccount, String version) {

    public static AgentIdentity fromEnvironment() {
        return from(System.getenv());
    }

    static AgentIdentity from(Map<String, String> env) {
        String pod = env.getOrDefault("POD_NAME", env.getOrDefault("HOSTNAME", ""));
        return new AgentIdentity(pod, env.getOrDefault("POD_NAMESPACE", ""),
                env.getOrDefault("SERVICE_ACCOUNT", ""), env.getOrDefault("VERSION", ""));
    }
}
