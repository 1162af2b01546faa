package dev.meshproof.cluster;

import io.fabric8.kubernetes.client.Config;

/**
 * The two ways Meshproof talks to an API server. A pre-flight (is it there? may I?) must answer in seconds, so it
 * gets short timeouts and no retries. A run must survive a busy server: it keeps fabric8's retries (429 with
 * Retry-After, 5xx and I/O errors, backing off up to {@link Config#DEFAULT_REQUEST_RETRY_BACKOFFLIMIT} times) and waits
 * per request as long as the API server itself lets a request run (kube-apiserver {@code --request-timeout}, default
 * 1m0s), so a slow server-side apply of the 345 KB HTTPRoute CRD is not cut off at fabric8's 10 s default.
 */
public final class ClientSettings {
    /** kube-apiserver's own bound on a non-long-running request (its --request-timeout default). */
    static final int RUN_REQUEST_TIMEOUT_MS = 60_000;

    private ClientSettings() {
    }

    /** For reachability probes and doctor checks: fail within seconds. Changes and returns {@code config}. */
    public static Config preflight(Config config) {
        config.setConnectionTimeout(5_000);
        config.setRequestTimeout(10_000);
        config.setRequestRetryBackoffLimit(0);
        return config;
    }

    /** For the client a run installs and tests through. Changes and returns {@code config}. */
    public static Config run(Config config) {
        config.setRequestTimeout(RUN_REQUEST_TIMEOUT_MS);
        config.setRequestRetryBackoffLimit(Config.DEFAULT_REQUEST_RETRY_BACKOFFLIMIT);
        return config;
    }
}
