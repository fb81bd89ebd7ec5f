package io.daemonguard.tls;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The TLS settings every daemonguard HTTPS port shares, the webhook's and the operator's, so that a scanner or an
 * auditor sees one policy whichever port it reaches, and a change to it is made once.
 */
public final class ServerTls {

  static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
  private static final int IDLE_TIMEOUT_SECONDS = 120;

  private ServerTls() {}

  /**
   * Reads the pair and proves the key belongs to the certificate, before anything is served with it.
   *
   * @throws IOException a file cannot be read or is empty; the message names its option and path
   * @throws IllegalArgumentException the files are not a usable pair; the message names both options and paths
   */
  public static TlsFiles load(Vertx vertx, Path certFile, Path keyFile) throws IOException {
    TlsFiles tls = TlsFiles.read(certFile, keyFile);
    try {
      tls.checkPair(vertx);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "--tls-cert " + certFile + " and --tls-key " + keyFile + ": " + e.getMessage(), e);
    }
    return tls;
  }

  /** A server that speaks TLS only, with the pair it starts with. */
  public static HttpServerOptions serverOptions(String host, int port, TlsFiles tls) {
    return new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setSsl(true)
        .setUseAlpn(true)
        .setEnabledSecureTransportProtocols(PROTOCOLS)
        .setKeyCertOptions(tls.keyCertOptions())
        .setIdleTimeout(IDLE_TIMEOUT_SECONDS)
        .setIdleTimeoutUnit(TimeUnit.SECONDS);
  }

  /**
   * New key material for {@code HttpServer.updateSSLOptions}: the update replaces the server's whole SSL options, so
   * ALPN and the protocols are set again, or a reload would quietly widen what the port accepts.
   */
  public static ServerSSLOptions sslOptions(KeyCertOptions keyCert) {
    return new ServerSSLOptions()
        .setKeyCertOptions(keyCert)
        .setUseAlpn(true)
        .setEnabledSecureTransportProtocols(PROTOCOLS);
  }
}
