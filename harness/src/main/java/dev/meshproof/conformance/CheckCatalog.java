package dev.meshproof.conformance;

import dev.meshproof.core.MeshproofException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.regex.Pattern;

/**
 * Every check on the class path, from {@code META-INF/services/dev.meshproof.conformance.ConformanceCheck}: its
 * declaration ({@link Check}) and its verdict. Selection (--checks, --skip, --level) and {@code meshproof verdict}
 * both start here.
 */
public final class CheckCatalog {
    private static final Pattern ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    /** One check: what it declares, and an instance for its verdict. */
    public record Entry(Check declaration, ConformanceCheck check) {
        public String id() {
            return declaration.id();
        }

        public Level level() {
            return declaration.level();
        }

        public List<DataPlane> dataPlanes() {
            return List.of(declaration.dataPlanes());
        }

        public Class<?> type() {
            return check.getClass();
        }
    }

    private final Map<String, Entry> entries;

    private CheckCatalog(Map<String, Entry> entries) {
        this.entries = entries;
    }

    /** The checks the class path lists; a check without {@link Check}, with a malformed or duplicate id, is a Meshproof bug. */
    public static CheckCatalog load() {
        List<ConformanceCheck> found = new ArrayList<>();
        ServiceLoader.load(ConformanceCheck.class).forEach(found::add);
        return of(found);
    }

    public static CheckCatalog of(List<ConformanceCheck> checks) {
        Map<String, Entry> byId = new LinkedHashMap<>();
        checks.stream().sorted(Comparator.comparing(c -> c.getClass().getName())).forEach(c -> {
            Check d = c.getClass().getAnnotation(Check.class);
            if (d == null) {
                throw new IllegalStateException(c.getClass().getName() + " is listed as a check but has no @Check");
            }
            if (!ID.matcher(d.id()).matches() || d.dataPlanes().length == 0 || d.proves().isBlank()) {
                throw new IllegalStateException(c.getClass().getName() + ": @Check needs an id of lower-case words joined by '-', "
                        + "at least one data plane and a sentence it proves");
            }
            if (byId.put(d.id(), new Entry(d, c)) != null) {
                throw new IllegalStateException("two checks have the id " + d.id());
            }
        });
        return new CheckCatalog(byId);
    }

    public List<Entry> all() {
        return List.copyOf(entries.values());
    }

    public Optional<Entry> byId(String id) {
        return Optional.ofNullable(entries.get(id));
    }

    /**
     * The checks selected by {@code --checks} (empty: all), minus {@code --skip}, at {@code level} or below.
     *
     * @throws MeshproofException (usage) naming an unknown id
     */
    public List<Entry> select(List<String> only, List<String> skip, Level level) {
        for (String id : concat(only, skip)) {
            if (!entries.containsKey(id)) {
                throw MeshproofException.usage("unknown check id '" + id + "'",
                        "known checks: " + String.join(", ", entries.keySet()) + " (docs/conformance.md has the catalogue)");
            }
        }
        return entries.values().stream()
                .filter(e -> only.isEmpty() || only.contains(e.id()))
                .filter(e -> !skip.contains(e.id()))
                .filter(e -> level.includes(e.level()))
                .toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** "l4-deny-by-principal (core; ambient, sidecar): proves …" — for --list and the docs. */
    public static String describe(Entry e) {
        return e.id() + " (" + e.level().id() + "; " + String.join(", ", Arrays.stream(e.declaration.dataPlanes()).map(DataPlane::id).toList())
                + "): " + e.declaration.proves();
    }
}
