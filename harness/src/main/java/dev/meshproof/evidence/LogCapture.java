package dev.meshproof.evidence;

/**
 * A proxy's log lines over a check's window, as logged (ztunnel's {@code istio-proxy} container, a sidecar's).
 *
 * @param pod  the pod, {@code namespace/name}
 * @param text the lines, unmodified
 */
public record LogCapture(String pod, String text) {
}
