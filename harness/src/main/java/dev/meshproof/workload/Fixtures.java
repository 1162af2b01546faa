package dev.meshproof.workload;

import dev.meshproof.core.MeshproofException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The plain-YAML fixtures under {@code fixtures/} (shipped in the harness jar under {@code fixtures/}), with their
 * {@code ${NAME}} variables filled in. Every variable a fixture uses must be given; a missing or malformed value
 * is a usage error naming the fixture and the variable.
 */
public final class Fixtures {
    public static final String AGENT_SERVER = "fixtures/workloads/agent-server.yaml";
    public static final String AGENT_CLIENT = "fixtures/workloads/agent-client.yaml";

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)}");
    /** Namespaces, versions: Kubernetes DNS labels (RFC 1123). */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private Fixtures() {
    }

    /** The fixture's text with every variable replaced. */
    public static String render(String fixture, Map<String, String> values) {
        String template = read(fixture);
        Matcher m = VARIABLE.matcher(template);
        TreeSet<String> missing = new TreeSet<>();
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = values.get(name);
            if (value == null || value.isBlank()) {
                missing.add(name);
                continue;
            }
            check(fixture, name, value);
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        if (!missing.isEmpty()) {
            throw MeshproofException.usage("fixture " + fixture + " needs a value for " + String.join(", ", missing),
                    "give every ${...} variable the fixture uses; see fixtures/README.md");
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The fixture's objects, rendered and parsed. */
    public static List<HasMetadata> load(KubernetesClient client, String fixture, Map<String, String> values) {
        String yaml = render(fixture, values);
        return client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
    }

    private static void check(String fixture, String name, String value) {
        boolean ok = switch (name) {
            case "NAMESPACE", "VERSION", "NAME" -> DNS_LABEL.matcher(value).matches();
            case "IMAGE" -> !value.matches(".*\\s.*");
            default -> true;
        };
        if (!ok) {
            throw MeshproofException.usage("fixture " + fixture + ": variable " + name + " is \"" + value + "\", "
                            + (name.equals("IMAGE") ? "which contains white space" : "which is not a DNS label (lower case, digits, '-', at most 63)"),
                    "see fixtures/README.md for what each variable means");
        }
    }

    private static String read(String fixture) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(fixture)) {
            if (in == null) {
                throw MeshproofException.usage("fixture " + fixture + " not found on the classpath",
                        "fixtures ship in the harness jar; rebuild with ./mvnw -B -DskipTests package");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fixture " + fixture, e);
        }
    }
}
