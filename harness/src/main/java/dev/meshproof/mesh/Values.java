package dev.meshproof.mesh;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helm-style value maps: deep copy and deep merge (maps merge key by key, anything else is replaced). */
final class Values {
    private Values() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> copyOf(Map<?, ?> source) {
        Map<String, Object> out = new LinkedHashMap<>();
        source.forEach((k, v) -> out.put(String.valueOf(k), copyValue(v)));
        return out;
    }

    private static Object copyValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            return copyOf(m);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(copyValue(x)));
            return out;
        }
        return v;
    }

    /** A new map: {@code base} with {@code overrides} merged over it (overrides win, maps merge recursively). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overrides) {
        Map<String, Object> out = copyOf(base);
        overrides.forEach((k, v) -> {
            Object current = out.get(k);
            if (current instanceof Map<?, ?> cm && v instanceof Map<?, ?> vm) {
                out.put(k, merge((Map<String, Object>) cm, (Map<String, Object>) vm));
            } else {
                out.put(k, copyValue(v));
            }
        });
        return out;
    }

    /** Sets a dotted path ("global.platform") in {@code map}, creating intermediate maps. */
    @SuppressWarnings("unchecked")
    static void put(Map<String, Object> map, String dottedPath, Object value) {
        String[] parts = dottedPath.split("\\.");
        Map<String, Object> cur = map;
        for (int i = 0; i < parts.length - 1; i++) {
            cur = (Map<String, Object>) cur.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
        }
        cur.put(parts[parts.length - 1], value);
    }
}
