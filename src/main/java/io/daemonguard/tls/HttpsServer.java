package io.daemonguard.tls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTPS server on one event loop, for endpoints off the hot path (the operator's health and metrics): the TLS of
 * the webhook ({@link ServerTls}), and its certificate reloaded in place when the files change, connections already
 * open keeping theirs. The webhook deploys one server per event loop instead, for its admission traffic.
 */
public final class HttpsServer {

  private static final Logger LOG = LoggerFactory.getLogger(HttpsServer.class);

  /** What the server needs; {@code port} 0 picks a free port (tests). */
  public record Config(String host, int port, Path certFile, Path keyFile, long certReloadMillis) {}

  private final HttpServer server;
  private final CertificateReloader reloader;

  private HttpsServer(HttpServer server, CertificateReloader reloader) {
    this.server = server;
    this.reloader = reloader;
  }

  /**
   * Starts listening; fails, with a message naming {@code --tls-cert}/{@code --tls-key} and the file, when the
   * certificate or key cannot be used.
   */
  public static Future<HttpsServer> start(Vertx vertx, Config config, Router router) {
    TlsFiles tls;
    try {
      tls = ServerTls.load(vertx, config.certFile(), config.keyFile());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
    return vertx.createHttpServer(ServerTls.serverOptions(config.host(), config.port(), tls))
        .requestHandler(router)
        .listen()
        .map(server -> {
          // nothing tells this server the names it is reached by: no name is checked
          CertificateReloader reloader = new CertificateReloader(LOG, vertx, config.certFile(), config.keyFile(),
              config.certReloadMillis(), Clock.systemUTC(), CertificateReloader.EXPIRY_WARNING, List.of(),
              server::actualPort, keyCert -> server.updateSSLOptions(ServerTls.sslOptions(keyCert), true));
          reloader.start(tls);
          return new HttpsServer(server, reloader);
        });
  }

  public int port() {
    return server.actualPort();
  }

  /** Stops reloading and listening; requests in flight finish within the grace period. */
  public Future<Void> shutdown(long graceMillis) {
    reloader.stop();
    return server.shutdown(graceMillis, TimeUnit.MILLISECONDS);
  }
}
