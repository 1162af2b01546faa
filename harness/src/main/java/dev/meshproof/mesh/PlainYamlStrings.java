package dev.meshproof.mesh;

import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * When a string value may be written to YAML without quotes: only when no YAML reader can take it for anything but
 * that string. Jackson's minimal quoting leaves {@code "1.30"} or {@code "010"} bare, and Helm (sigs.k8s.io/yaml, a
 * YAML 1.1 reader) then reads a number: a user's string value would change type on its way into the chart. So a
 * value stays bare only if it starts with a letter or '/', holds nothing but letters, digits and {@code . _ / -}, and
 * is none of YAML 1.1's boolean or null words ({@code yes}, {@code on}, {@code n}, ...); everything else is quoted.
 * Keys keep Jackson's rule.
 */
final class PlainYamlStrings extends StringQuotingChecker.Default {
    private static final long serialVersionUID = 1L;
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z/][A-Za-z0-9._/-]*");
    /** YAML 1.1 bool and null (yaml.org/type/bool.html, yaml.org/type/null.html), compared case-insensitively. */
    private static final Set<String> OTHER_TYPES = Set.of("y", "yes", "n", "no", "true", "false", "on", "off", "null");

    @Override
    public boolean needToQuoteValue(String value) {
        return !PLAIN.matcher(value).matches() || OTHER_TYPES.contains(value.toLowerCase(java.util.Locale.ROOT));
    }
}
