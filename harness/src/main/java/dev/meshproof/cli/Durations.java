package dev.meshproof.cli;

import dev.meshproof.bench.ProfileLoader;
import dev.meshproof.core.MeshproofException;

import java.time.Duration;

/** Duration flags (500ms, 10s, 2m, 1h), one parser for every command; a bad value is exit 2 naming the flag. */
final class Durations {
    private Durations() {
    }

    static Duration flag(String flag, String value) {
        Duration d = ProfileLoader.parseDuration(value);
        if (d == null || d.isZero() || d.isNegative()) {
            throw MeshproofException.usage(flag + ": must be a duration like 500ms, 10s, 2m or 1h, got '" + value + "'",
                    "see the command's --help");
        }
        return d;
    }
}
