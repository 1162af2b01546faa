package dev.meshproof.mesh;

import dev.meshproof.core.MeshproofException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The mesh config's {@code extensionProviders} as the installer sets them: the user's (from {@code istiod.meshConfig}
 * in {@code --values}, validated here so a malformed provider is one line and exit 2 instead of an istiod that rejects
 * its mesh config), plus Meshproof's own OpenTelemetry provider {@value #MESHPROOF_OTEL}, which the trace-export check
 * selects with a {@code Telemetry} resource.
 *
 * <p>Why the installer always adds {@value #MESHPROOF_OTEL}: a conformance check cannot reinstall the mesh, and editing
 * istiod's mesh ConfigMap from a check would change the mesh under every other check. The provider is inert until a
 * Telemetry names it: Istio builds a tracer only for providers a Telemetry (or {@code defaultProviders}) selects
 * ({@code istio/istio@1.29.6:pilot/pkg/networking/core/tracing.go} {@code configureTracingFromTelemetry}), and when the
 * collector Service is absent Istio finds no cluster for it and configures no tracer, while Envoy's OTLP/HTTP exporter
 * only logs a failed export ({@code envoyproxy/envoy:source/extensions/tracers/opentelemetry/http_trace_exporter.cc}).
 *
 * <p>Fields checked (those {@code istio/api@1092f7f8:mesh/v1alpha1/config.proto} marks required or typed):
 * {@code name} (unique); for {@code opentelemetry}: {@code service} ("[Namespace/]Hostname"), {@code port} 1-65535,
 * {@code http.path} (REQUIRED when {@code http} is set; without {@code http} Envoy exports over gRPC),
 * {@code http.timeout} as a protobuf JSON duration ({@code 10s}, {@code 0.5s}).
 */
public final class ExtensionProviders {
    /** The provider the trace-export check's Telemetry names. */
    public static final String MESHPROOF_OTEL = "meshproof-otel";
    /** The namespace the trace-export check deploys its collector into (a fixed name: the mesh config names it at install). */
    public static final String COLLECTOR_NAMESPACE = "meshproof-telemetry";
    /** The collector's Deployment, Service and app label. */
    public static final String COLLECTOR = "otel-collector";
    /** The collector's OTLP/HTTP port: the agent's HTTP port, where it receives {@code POST /v1/traces}. */
    public static final int COLLECTOR_PORT = 8080;
    /** OTLP/HTTP's traces path (OTLP specification, "OTLP/HTTP Request"). */
    public static final String TRACES_PATH = "/v1/traces";

    private static final Pattern DURATION = Pattern.compile("\\d+(\\.\\d{1,9})?s");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");

    private ExtensionProviders() {
    }

    /** Meshproof's provider: OTLP/HTTP (protobuf) to the check's collector Service. */
    public static Map<String, Object> meshproofOtel() {
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("path", TRACES_PATH);
        http.put("timeout", "5s");
        Map<String, Object> otel = new LinkedHashMap<>();
        otel.put("service", COLLECTOR + "." + COLLECTOR_NAMESPACE + ".svc.cluster.local");
        otel.put("port", COLLECTOR_PORT);
        otel.put("http", http);
        Map<String, Object> provider = new LinkedHashMap<>();
        provider.put("name", MESHPROOF_OTEL);
        provider.put("opentelemetry", otel);
        return provider;
    }

    /** The providers to install: the user's (validated) and, unless the user defines one of that name, {@value #MESHPROOF_OTEL}. */
    public static List<Object> withMeshproof(Object userProviders, String source) {
        List<Object> out = new ArrayList<>(validate(userProviders, source));
        boolean overridden = out.stream().anyMatch(p -> MESHPROOF_OTEL.equals(((Map<?, ?>) p).get("name")));
        if (!overridden) {
            out.add(meshproofOtel());
        }
        return out;
    }

    /**
     * The user's {@code meshConfig.extensionProviders} (null: none), each entry checked; {@code source} names where they
     * come from in the one-line error.
     */
    public static List<Object> validate(Object providers, String source) {
        if (providers == null) {
            return List.of();
        }
        if (!(providers instanceof List<?> list)) {
            throw bad(source, "meshConfig.extensionProviders must be a list of providers");
        }
        Set<String> names = new HashSet<>();
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "meshConfig.extensionProviders[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> p)) {
                throw bad(source, at + " must be a mapping with a name and one provider kind");
            }
            Object name = p.get("name");
            if (!(name instanceof String n) || !NAME.matcher(n).matches()) {
                throw bad(source, at + " needs a name (letters, digits, '-', '_', '.'), got " + (name == null ? "none" : "'" + name + "'"));
            }
            if (!names.add(n)) {
                throw bad(source, at + ": provider name '" + n + "' is used twice");
            }
            if (p.containsKey("opentelemetry")) {
                opentelemetry(p.get("opentelemetry"), source, at + " (" + n + ").opentelemetry");
            }
            out.add(Values.copyOf(p));
        }
        return out;
    }

    private static void opentelemetry(Object value, String source, String at) {
        if (!(value instanceof Map<?, ?> o)) {
            throw bad(source, at + " must be a mapping with service and port");
        }
        if (!(o.get("service") instanceof String s) || s.isBlank()) {
            throw bad(source, at + ".service is missing (the collector's [Namespace/]Hostname)");
        }
        Object port = o.get("port");
        if (!(port instanceof Integer p) || p < 1 || p > 65535) {
            throw bad(source, at + ".port must be a number from 1 to 65535, got " + (port == null ? "none" : "'" + port + "'"));
        }
        if (o.containsKey("http")) {
            if (!(o.get("http") instanceof Map<?, ?> http)) {
                throw bad(source, at + ".http must be a mapping with a path (or leave http out to export over gRPC)");
            }
            if (!(http.get("path") instanceof String path) || path.isBlank()) {
                throw bad(source, at + ".http.path is missing (required with http, e.g. /v1/traces)");
            }
            Object timeout = http.get("timeout");
            if (timeout != null && !(timeout instanceof String t && DURATION.matcher(t).matches())) {
                throw bad(source, at + ".http.timeout must be a duration in seconds like 10s or 0.5s, got '" + timeout + "'");
            }
        }
    }

    private static MeshproofException bad(String source, String what) {
        return MeshproofException.usage(source + ": " + what,
                "see meshConfig.extensionProviders in istio/api mesh/v1alpha1/config.proto; e.g. {name: my-otel, opentelemetry: "
                        + "{service: collector.ns.svc.cluster.local, port: 4318, http: {path: /v1/traces, timeout: 10s}}}");
    }
}
