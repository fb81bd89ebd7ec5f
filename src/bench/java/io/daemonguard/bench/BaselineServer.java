package io.daemonguard.bench;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The webhook's baseline for the load test: the same Vert.x 5, the same TLS options (TLS 1.2 and 1.3, ALPN, the same
 * PEM certificate and key), one server per event loop as the webhook runs, but {@code POST /validate} only reads
 * the body and answers a fixed allow. Whatever the webhook does slower than this is the cost of judging.
 *
 * <pre>BaselineServer --port N --tls-cert FILE --tls-key FILE [--host 127.0.0.1] [--mode bare|router]</pre>
 *
 * {@code bare} (default) reads the body with {@code request.body()}; {@code router} goes through vertx-web's Router
 * and BodyHandler exactly as the webhook does, to tell the framework's share from the webhook's own.
 */
public final class BaselineServer {

  /** Same size class as the webhook's allow; the uid is fixed since nothing is parsed. Copied per response, as the webhook does. */
  static final byte[] ALLOW = (
      "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":"
          + "{\"uid\":\"705ab4f5-6393-11e8-b7cc-42010a800002\",\"allowed\":true}}").getBytes(StandardCharsets.UTF_8);
  static final Set<String> TLS_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  private BaselineServer() {}

  public static void main(String[] args) throws Exception {
    String host = "127.0.0.1";
    int port = 9443;
    Path cert = null;
    Path key = null;
    String mode = "bare";
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--host" -> host = value;
        case "--port" -> port = Integer.parseInt(value);
        case "--tls-cert" -> cert = Path.of(value);
        case "--tls-key" -> key = Path.of(value);
        case "--mode" -> mode = value;
        default -> {
          System.err.println("usage: BaselineServer --port N --tls-cert FILE --tls-key FILE [--host H] [--mode bare|router]");
          System.exit(2);
        }
      }
      i++;
    }
    if (cert == null || key == null || !(mode.equals("bare") || mode.equals("router"))) {
      System.err.println("--tls-cert, --tls-key are required; --mode is bare or router");
      System.exit(2);
    }
    // as WebhookServer configures it
    HttpServerOptions options = new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setSsl(true)
        .setUseAlpn(true)
        .setEnabledSecureTransportProtocols(TLS_PROTOCOLS)
        .setKeyCertOptions(new PemKeyCertOptions()
            .setCertValue(Buffer.buffer(Files.readAllBytes(cert)))
            .setKeyValue(Buffer.buffer(Files.readAllBytes(key))))
        .setIdleTimeout(120)
        .setIdleTimeoutUnit(TimeUnit.SECONDS);
    int cores = Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(cores));
    boolean router = mode.equals("router");
    vertx.deployVerticle(() -> new Server(options, router), new DeploymentOptions().setInstances(cores))
        .await(30, TimeUnit.SECONDS);
    System.out.println("baseline (" + mode + ") listening on " + host + ":" + port);
  }

  private static final class Server extends AbstractVerticle {
    private final HttpServerOptions options;
    private final boolean router;

    Server(HttpServerOptions options, boolean router) {
      this.options = options;
      this.router = router;
    }

    @Override
    public void start(Promise<Void> started) {
      var server = vertx.createHttpServer(options);
      if (router) {
        Router routes = Router.router(vertx);
        routes.post("/validate")
            .handler(BodyHandler.create(false).setBodyLimit(6L * 1024 * 1024))
            .handler(ctx -> {
              if (ctx.body().buffer() == null) {
                ctx.response().setStatusCode(400).end();
                return;
              }
              ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(Buffer.buffer(ALLOW));
            });
        routes.get("/readyz").handler(ctx -> ctx.response().end("ok\n"));
        routes.get("/healthz").handler(ctx -> ctx.response().end("ok\n"));
        server.requestHandler(routes);
      } else {
        server.requestHandler(request -> {
          String path = request.path();
          if (path.equals("/validate")) {
            request.body().onSuccess(body -> request.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(Buffer.buffer(ALLOW)));
          } else if (path.equals("/readyz") || path.equals("/healthz")) {
            request.response().end("ok\n");
          } else {
            request.response().setStatusCode(404).end();
          }
        });
      }
      server.listen().<Void>mapEmpty().onComplete(started);
    }
  }
}
