package dev.meshproof.conformance;

import java.util.Locale;

/** How much a check matters for conformance (Gateway API's support levels). */
public enum Level {
    /** Every conformant mesh must pass it. */
    CORE,
    /** A mesh that claims the feature must pass it. */
    EXTENDED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code --level core} runs core checks; {@code --level extended} runs both. */
    public boolean includes(Level other) {
        return this == EXTENDED || other == CORE;
    }
}
