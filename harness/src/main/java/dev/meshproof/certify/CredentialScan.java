package dev.meshproof.certify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds credentials before they leave the machine in a bundle: kubeconfig material (a bearer {@code token:},
 * {@code client-key-data}), PEM private keys, and a Secret's {@code data}/{@code stringData} in a manifest or dump.
 * Meshproof writes none of these outside kubeconfig.yaml (which is never bundled); one found elsewhere came from a
 * log, a diagnostics dump or a hand-edited file, and the bundle is refused naming it.
 */
final class CredentialScan {
    /** What was found, and where. */
    record Finding(Path file, String what) {
    }

    private record Rule(String what, Pattern pattern) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("a bearer token (token:)", Pattern.compile("(?m)(^|[\\s{,\"'])\"?(token|id-token|refresh-token)\"?\\s*:\\s*\"?[A-Za-z0-9._~+/=-]{8,}")),
            new Rule("a client key (client-key-data)", Pattern.compile("client-key-data")),
            new Rule("a private key (BEGIN … PRIVATE KEY)", Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----")),
            new Rule("a Secret's data", Pattern.compile("(?ms)^kind:\\s*Secret\\s*$.*?^(data|stringData):\\s*\\n\\s+\\S+:|\"kind\"\\s*:\\s*\"Secret\".*?\"(data|stringData)\"\\s*:\\s*\\{\\s*\"")));

    private CredentialScan() {
    }

    /** The first credential in {@code file}, if any (binary content is read as ISO-8859-1, so patterns still match). */
    static Optional<Finding> scan(Path file) {
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        for (Rule r : RULES) {
            if (r.pattern().matcher(text).find()) {
                return Optional.of(new Finding(file, r.what()));
            }
        }
        return Optional.empty();
    }
}
