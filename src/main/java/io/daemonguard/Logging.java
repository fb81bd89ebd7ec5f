package io.daemonguard;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.LoggerFactory;

/**
 * Logging set up in code, not from XML: Joran's XML machinery alone loaded some 400 classes at every start, in the
 * path of a webhook replica becoming ready. Until a command picks a format, warnings go to stderr as text, so
 * {@code check}'s stdout stays clean; the webhook then picks JSON lines (in the cluster) or text.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_TOP_PRIORITY)
public final class Logging extends ContextAwareBase implements Configurator {

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    apply(context, "text", Level.WARN);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Switches to {@code json} (one object per line on stdout) or {@code text} (stderr), at INFO. */
  public static void configure(String format) {
    if (!"json".equals(format) && !"text".equals(format)) {
      throw new IllegalArgumentException("--log-format: \"" + format + "\" is not json or text");
    }
    apply((LoggerContext) LoggerFactory.getILoggerFactory(), format, Level.INFO);
  }

  private static void apply(LoggerContext context, String format, Level level) {
    context.reset();
    Encoder<ILoggingEvent> encoder;
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    if (format.equals("json")) {
      encoder = new JsonLinesEncoder();
    } else {
      PatternLayoutEncoder pattern = new PatternLayoutEncoder();
      pattern.setPattern("%d{ISO8601} %-5level %logger{20} %msg %kvp%n");
      encoder = pattern;
      appender.setTarget("System.err");
    }
    encoder.setContext(context);
    encoder.start();
    appender.setContext(context);
    appender.setName(format);
    appender.setEncoder(encoder);
    appender.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level);
    root.addAppender(appender);
    // Netty and Vert.x are chatty at INFO about things an operator cannot act on
    context.getLogger("io.netty").setLevel(Level.WARN);
    context.getLogger("io.vertx").setLevel(Level.WARN);
    // fabric8 warns at every start that v1alpha1 is not stable: true, ours, and nothing to act on
    context.getLogger("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils").setLevel(Level.ERROR);
  }
}
