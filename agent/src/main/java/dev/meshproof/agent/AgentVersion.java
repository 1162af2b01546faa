package dev.meshproof.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The agent's (= the project's) version, from the build-filled {@code META-INF/meshproof/agent.properties}. */
public final class AgentVersion {
    public static final String VERSION = version();
    /** The response header by which an agent marks its replies (a mesh proxy may rewrite {@code server}, not this). */
    public static final String HEADER = "x-meshproof-agent";

    private AgentVersion() {
    }

    private static String version() {
        try (InputStream in = AgentVersion.class.getResourceAsStream("/META-INF/meshproof/agent.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the agent's version", e);
        }
    }
}
