package io.daemonguard;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.slf4j.LoggerFactory;

/** Chooses the log format at start: JSON lines in the cluster, plain text at a terminal. */
public final class Logging {
  private Logging() {}

  public static void configure(String format) {
    if (!"json".equals(format) && !"text".equals(format)) {
      throw new IllegalArgumentException("--log-format: \"" + format + "\" is not json or text");
    }
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    URL config = Logging.class.getResource("/logback-" + format + ".xml");
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(config);
    } catch (JoranException e) {
      throw new IllegalStateException("logging configuration " + config + " is broken", e);
    }
  }
}
