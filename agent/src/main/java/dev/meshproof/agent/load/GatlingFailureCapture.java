package dev.meshproof.agent.load;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gatling keeps the reason a request failed to itself: it only logs it, at DEBUG, as
 * "Request '{}' failed for user {}: {}" from its StatsProcessor (gatling-http 3.15.1,
 * {@code io.gatling.http.engine.response.StatsProcessor#logTx}). This appender listens to exactly that
 * logger and keeps the message per virtual-user id until the scenario's next step picks it up, so
 * failures can be classified ({@link GatlingFailures}).
 */
final class GatlingFailureCapture extends AppenderBase<ILoggingEvent> {
    /**
     * StrictLogging names the logger after the runtime class: DefaultStatsProcessor, or for a silent request (the
     * default: {@link LoadSpec#gatlingReport()} off) the Scala object NoopStatsProcessor; nothing else is switched to DEBUG.
     */
    static final java.util.List<String> LOGGERS = java.util.List.of("io.gatling.http.engine.response.DefaultStatsProcessor",
            "io.gatling.http.engine.response.NoopStatsProcessor$");
    private static final String PATTERN = "Request '{}' failed for user {}: {}";
    private final Map<Long, String> byUser = new ConcurrentHashMap<>();

    /** Installs the capture on Gatling's response logger (which then logs nowhere else). */
    static GatlingFailureCapture install() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        GatlingFailureCapture capture = new GatlingFailureCapture();
        capture.setContext(context);
        capture.setName("meshproof-failure-capture");
        capture.start();
        for (String name : LOGGERS) {
            Logger logger = context.getLogger(name);
            logger.setLevel(Level.DEBUG);
            logger.setAdditive(false);
            logger.addAppender(capture);
        }
        return capture;
    }

    @Override
    protected void append(ILoggingEvent event) {
        Object[] args = event.getArgumentArray();
        if (PATTERN.equals(event.getMessage()) && args != null && args.length == 3 && args[1] instanceof Long user) {
            byUser.put(user, String.valueOf(args[2]));
        }
    }

    /** The failure message logged for this user, removed once taken; null if none was logged. */
    String take(long userId) {
        return byUser.remove(userId);
    }
}
