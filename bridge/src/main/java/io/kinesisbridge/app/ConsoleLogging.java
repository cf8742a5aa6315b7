package io.kinesisbridge.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The bridge's logging: one console appender, INFO, Camel, Vert.x and Netty at WARN. Set in code because reading the same
 * from a logback.xml loads an XML parser and about 400 classes more, a tenth of the start-up time. A configuration
 * of one's own still wins: {@code -Dlogback.configurationFile=FILE}, or a logback-test.xml on the class path (tests).
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class ConsoleLogging extends ContextAwareBase implements Configurator {

    static final String CAMEL_LEVEL_PROPERTY = "kinesis.bridge.camel.log-level";
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || ConsoleLogging.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDOUT");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        // the bridge says what it serves in one block of its own (StartupReport); Camel's warnings and errors still
        // show,
        // and -Dkinesis.bridge.camel.log-level=INFO brings back Camel's own start-up and route lines
        context.getLogger("org.apache.camel")
                .setLevel(Level.toLevel(System.getProperty(CAMEL_LEVEL_PROPERTY), Level.WARN));
        context.getLogger("io.vertx").setLevel(Level.WARN);
        context.getLogger("io.netty").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
