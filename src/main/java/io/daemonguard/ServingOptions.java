package io.daemonguard;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What both servers (the webhook and the operator) are told about serving: where to listen, the TLS files, how often
 * to look at them, and the log format. A picocli mixin, so that the two commands take and check them alike.
 */
public final class ServingOptions {

  @Option(names = "--port", defaultValue = "8443", description = "HTTPS port (default: ${DEFAULT-VALUE}).")
  public int port;

  @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  public String host;

  @Option(names = "--tls-cert", required = true, paramLabel = "FILE",
      description = "PEM certificate chain; re-read when it changes.")
  public Path tlsCert;

  @Option(names = "--tls-key", required = true, paramLabel = "FILE",
      description = "PEM private key (PKCS#8 or PKCS#1); re-read when it changes.")
  public Path tlsKey;

  @Option(names = "--cert-reload-interval", defaultValue = "2", paramLabel = "SECONDS",
      description = "How often the certificate files are checked for a change (default: ${DEFAULT-VALUE}).")
  public double certReloadSeconds;

  @Option(names = "--log-format", defaultValue = "text", description = "json or text (default: ${DEFAULT-VALUE}).")
  public String logFormat;

  /** Sets the log format and checks the values; a bad one is a usage error (exit 2) naming the option. */
  public void apply(CommandLine commandLine) {
    try {
      Logging.configure(logFormat);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(commandLine, e.getMessage());
    }
    if (port < 0 || port > 65535) {
      throw new CommandLine.ParameterException(commandLine, "--port " + port + ": not a port number");
    }
    if (certReloadSeconds <= 0) {
      throw new CommandLine.ParameterException(commandLine, "--cert-reload-interval must be positive");
    }
  }

  /** The reload interval, at least 100 ms. */
  public long certReloadMillis() {
    return Math.max(100, (long) (certReloadSeconds * 1000));
  }
}
