package dev.meshproof.agent;

/** The agent's version (from the jar manifest; "dev" when run from classes). Also sent as the {@code x-meshproof-agent} response header. */
public final class AgentVersion {
    public static final String VERSION = version();
    /** The response header by which an agent marks its replies (a mesh proxy may rewrite {@code server}, not this). */
    public static final String HEADER = "x-meshproof-agent";

    private AgentVersion() {
    }

    private static String version() {
        String v = AgentVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
