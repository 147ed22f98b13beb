package io.invoiceharvester.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;

/** The log levels of a quiet operator command: warnings only, until the command returns. */
final class Logging {

    private static final String CAMEL_START = "org.apache.camel.impl.engine.AbstractCamelContext";
    private static Level root;
    private static Level camelStart;

    private Logging() {
    }

    static synchronized void quiet() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        if (root == null) {
            root = context.getConfiguration().getRootLogger().getLevel();
            camelStart = context.getConfiguration().getLoggerConfig(CAMEL_START).getLevel();
        }
        Configurator.setRootLevel(Level.WARN);
        Configurator.setLevel(CAMEL_START, Level.WARN);
    }

    /** The levels before {@link #quiet}: a command run in a longer-lived JVM (a test) leaves them as they were. */
    static synchronized void restore() {
        if (root != null) {
            Configurator.setRootLevel(root);
            Configurator.setLevel(CAMEL_START, camelStart);
            root = null;
            camelStart = null;
        }
    }
}
