package dev.databasedump.support;

import java.io.StringWriter;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** Everything the application logs while a test runs, as text. */
public final class CapturedLogs implements AutoCloseable {

    private final StringWriter text = new StringWriter();
    private final WriterAppender appender;
    private final LoggerContext context;

    public CapturedLogs() {
        context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        appender = WriterAppender.newBuilder().setName("captured-" + System.nanoTime()).setTarget(text)
                .setLayout(PatternLayout.newBuilder().withPattern("%-5level [%c] %msg %throwable%n")
                        .withConfiguration(configuration).build())
                .build();
        appender.start();
        configuration.getRootLogger().addAppender(appender, null, null);
        context.updateLoggers();
    }

    public synchronized String text() {
        return text.toString();
    }

    @Override
    public void close() {
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }
}
