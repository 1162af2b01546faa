package dev.meshproof.cli;

import dev.meshproof.core.MeshproofException;
import dev.meshproof.report.ConformanceReport.Implementation;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code --implementation ORG/PROJECT,VERSION,URL,CONTACT[,CONTACT…]} of {@code run} and {@code report}: the
 * implementation the ConformanceReport names, Gateway API's five fields in one flag (its conformance suite takes the
 * contacts comma-separated too: {@code kubernetes-sigs/gateway-api:conformance/utils/suite/suite.go},
 * ParseImplementation). Without it the report names Istio's project and the installed version.
 */
final class ImplementationOption {
    static final String FORMAT = "ORG/PROJECT,VERSION,URL,CONTACT[,CONTACT...]";

    @Option(names = "--implementation", paramLabel = FORMAT,
            description = {"The implementation conformance-report.yaml names, e.g. acme/acme-mesh,2.3.1,https://acme.example/mesh,@acme/mesh-team",
                    "(contacts: GitHub handles or teams, e-mail addresses or a support URL). Default: istio/istio, the installed Istio",
                    "version, https://istio.io/, @istio/maintainers. Kept in the run directory (implementation.json)."})
    String value;

    /** The declared implementation, or null when the flag was not given; bad input is exit 2 naming what is wrong. */
    Implementation parse() {
        return value == null ? null : parse(value);
    }

    static Implementation parse(String value) {
        List<String> parts = Arrays.stream(value.split(",", -1)).map(String::trim).toList();
        if (parts.size() < 4) {
            throw bad(value, "it has " + parts.size() + " comma-separated field(s), at least 4 are needed");
        }
        String[] name = parts.get(0).split("/", -1);
        if (name.length != 2 || !token(name[0]) || !token(name[1])) {
            throw bad(value, "'" + parts.get(0) + "' is not ORG/PROJECT (two names without spaces, one slash)");
        }
        if (!token(parts.get(1))) {
            throw bad(value, "the version '" + parts.get(1) + "' is empty or has spaces");
        }
        String url = parts.get(2);
        if (!webUrl(url)) {
            throw bad(value, "'" + url + "' is not an http(s) URL");
        }
        List<String> contacts = new ArrayList<>(parts.subList(3, parts.size()));
        if (contacts.stream().anyMatch(String::isEmpty)) {
            throw bad(value, "a contact is empty");
        }
        return new Implementation(name[0], name[1], url, parts.get(1), List.copyOf(contacts));
    }

    private static boolean token(String s) {
        return !s.isEmpty() && s.chars().noneMatch(Character::isWhitespace);
    }

    private static boolean webUrl(String s) {
        try {
            URI u = new URI(s);
            return ("https".equals(u.getScheme()) || "http".equals(u.getScheme())) && u.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static MeshproofException bad(String value, String why) {
        return MeshproofException.usage("--implementation must be " + FORMAT + ", not '" + value + "': " + why,
                "e.g. --implementation acme/acme-mesh,2.3.1,https://acme.example/mesh,@acme/mesh-team");
    }
}
