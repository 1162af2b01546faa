package dev.meshproof.agent.call;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** A validated call destination: {@code http://}, {@code https://} or {@code tcp://host:port}. */
record CallTarget(Scheme scheme, String host, int port, String pathAndQuery) {

    enum Scheme { HTTP, HTTPS, TCP }

    static CallTarget parse(String url) throws InvalidCallRequestException {
        if (url == null || url.isBlank()) {
            throw new InvalidCallRequestException("field 'url' is required, e.g. \"http://echo:8080/echo\" or \"tcp://echo:9000\"");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidCallRequestException("field 'url' is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Scheme s = switch (scheme) {
            case "http" -> Scheme.HTTP;
            case "https" -> Scheme.HTTPS;
            case "tcp" -> Scheme.TCP;
            default -> throw new InvalidCallRequestException(
                    "field 'url' has scheme '" + scheme + "'; supported: http, https, tcp (got \"" + url + "\")");
        };
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new InvalidCallRequestException("field 'url' has no host: \"" + url + "\"");
        }
        int port = uri.getPort();
        if (port == -1) {
            if (s == Scheme.TCP) {
                throw new InvalidCallRequestException("field 'url' needs a port for tcp: \"" + url + "\"");
            }
            port = s == Scheme.HTTPS ? 443 : 80;
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return new CallTarget(s, host.startsWith("[") ? host.substring(1, host.length() - 1) : host, port, path + query);
    }

    /** The Host header: the port is left out when it is the scheme's default. */
    String hostHeader() {
        boolean defaultPort = (scheme == Scheme.HTTP && port == 80) || (scheme == Scheme.HTTPS && port == 443);
        String h = host.contains(":") ? "[" + host + "]" : host;
        return defaultPort ? h : h + ":" + port;
    }
}
