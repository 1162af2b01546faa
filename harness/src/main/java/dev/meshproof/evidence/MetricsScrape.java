package dev.meshproof.evidence;

/**
 * A proxy's metrics endpoint body as served (ztunnel's {@code :15020/metrics}: OpenMetrics text), taken at one
 * point of a check.
 *
 * @param label when: {@code before} or {@code after} the traffic the check judges
 * @param pod   the proxy pod, {@code namespace/name}
 * @param node  the node it runs on
 * @param text  the body, unmodified
 */
public record MetricsScrape(String label, String pod, String node, String text) {
}
