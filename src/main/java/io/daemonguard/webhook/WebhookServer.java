package io.daemonguard.webhook;

import io.daemonguard.admission.Outcome;
import io.daemonguard.tls.CertificateReloader;
import io.daemonguard.tls.ServerTls;
import io.daemonguard.tls.TlsFiles;
import io.netty.buffer.ByteBuf;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS server: {@code POST /validate}, {@code /healthz}, {@code /readyz}, {@code /metrics}. One server per event
 * loop, sharing the port; the certificate is re-read when its files change and swapped in without closing
 * connections (by a {@link CertificateReloader}).
 */
public final class WebhookServer {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);

  /** What the server needs; {@code port} 0 picks a free port (tests). */
  public record Config(String host, int port, Path certFile, Path keyFile, long maxBodyBytes,
      long certReloadMillis, int instances) {}

  private final Vertx vertx;
  private final Config config;
  private final AdmissionHandler handler;
  private final WebhookMetrics metrics;
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  private final AtomicBoolean ready = new AtomicBoolean(false);
  private final CertificateReloader reloader;

  private WebhookServer(Vertx vertx, Config config, AdmissionHandler handler, WebhookMetrics metrics) {
    this.vertx = vertx;
    this.config = config;
    this.handler = handler;
    this.metrics = metrics;
    // the server is reached by its Service's name, which nothing tells it: no name is checked
    this.reloader = new CertificateReloader(LOG, vertx, config.certFile(), config.keyFile(), config.certReloadMillis(),
        Clock.systemUTC(), CertificateReloader.EXPIRY_WARNING, List.of(),
        () -> servers.isEmpty() ? config.port() : port(), this::updateKeyCert);
  }

  /** Starts listening; fails with a message naming the file when the certificate or key cannot be used. */
  public static Future<WebhookServer> start(Vertx vertx, Config config, AdmissionHandler handler, WebhookMetrics metrics) {
    WebhookServer server = new WebhookServer(vertx, config, handler, metrics);
    TlsFiles tls;
    try {
      tls = ServerTls.load(vertx, config.certFile(), config.keyFile());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
    HttpServerOptions options = ServerTls.serverOptions(config.host(), config.port(), tls);
    // Vert.x shares a fixed port among the instances, one per event loop; a random port (tests) takes one
    int instances = config.port() == 0 ? 1 : Math.max(1, config.instances());
    return vertx.deployVerticle(() -> server.new ServerVerticle(options), new DeploymentOptions().setInstances(instances))
        .map(id -> {
          server.ready.set(true);
          server.reloader.start(tls);
          return server;
        });
  }

  public int port() {
    return servers.get(0).actualPort();
  }

  /** Readiness goes false so Kubernetes routes new requests elsewhere; requests are still answered. */
  public void markNotReady() {
    ready.set(false);
  }

  /** Stops listening; requests in flight finish within the grace period. */
  public Future<Void> shutdown(long graceMillis) {
    ready.set(false);
    reloader.stop();
    List<Future<Void>> closing = new ArrayList<>();
    for (HttpServer server : servers) {
      closing.add(server.shutdown(graceMillis, TimeUnit.MILLISECONDS));
    }
    return Future.all(closing).mapEmpty();
  }

  /** Serves new key material on every instance, connections already open keeping theirs. */
  private Future<?> updateKeyCert(KeyCertOptions keyCert) {
    ServerSSLOptions ssl = ServerTls.sslOptions(keyCert);
    List<Future<Boolean>> updates = new ArrayList<>();
    for (HttpServer server : servers) {
      updates.add(server.updateSSLOptions(ssl, true));
    }
    return Future.all(updates);
  }

  private final class ServerVerticle extends AbstractVerticle {
    private final HttpServerOptions options;

    ServerVerticle(HttpServerOptions options) {
      this.options = options;
    }

    @Override
    public void start(Promise<Void> started) {
      Router router = Router.router(vertx);
      router.post("/validate")
          // the body handler refuses a declared or streamed body over the limit before buffering it, and sizes its
          // buffer from Content-Length (Vert.x caps that at 64 KB): grown from 1 KB, a 7 KB review cost 15 KB of
          // arrays and three copies, half of all the server allocated per request
          .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()).setPreallocateBodyBuffer(true))
          .handler(this::checkContentType)
          .handler(this::validate)
          .failureHandler(this::failure);
      router.get("/healthz").handler(ctx -> text(ctx, 200, "ok"));
      router.get("/readyz").handler(ctx -> {
        if (ready.get() && handler.ready()) {
          text(ctx, 200, "ok");
        } else {
          text(ctx, 503, "not ready");
        }
      });
      router.get("/metrics").handler(ctx -> ctx.response()
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
          .end(metrics.scrape()));
      vertx.createHttpServer(options).requestHandler(router).listen()
          .onSuccess(server -> {
            servers.add(server);
            started.complete();
          })
          .onFailure(started::fail);
    }

    private void checkContentType(RoutingContext ctx) {
      String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
      if (contentType == null
          || !contentType.toLowerCase(Locale.ROOT).trim().startsWith("application/json")) {
        metrics.request(Outcome.ERROR, "unknown", "unknown");
        text(ctx, 400, "Content-Type must be application/json, got " + (contentType == null ? "none" : contentType));
        return;
      }
      ctx.next();
    }

    private void validate(RoutingContext ctx) {
      long start = System.nanoTime();
      Buffer body = ctx.body().buffer();
      if (body == null || body.length() == 0) {
        metrics.request(Outcome.ERROR, "unknown", "unknown");
        text(ctx, 400, "request body is empty");
        return;
      }
      byte[] response;
      try {
        response = judge(body);
      } catch (BadRequestException e) {
        text(ctx, 400, e.getMessage());
        return;
      } catch (RuntimeException e) {
        // a defect, not a verdict: refuse to judge rather than allow, and say so
        LOG.atError().setMessage("could not judge an AdmissionReview").setCause(e).log();
        metrics.request(Outcome.ERROR, "unknown", "unknown");
        text(ctx, 400, "request could not be judged: " + e.getClass().getSimpleName());
        return;
      }
      ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(Buffer.buffer(response));
      metrics.latency(System.nanoTime() - start);
    }

    /** The body judged in place when it is a heap buffer, as Vert.x makes HTTP bodies: no 7 KB copy per request. */
    private byte[] judge(Buffer body) {
      if (body instanceof BufferInternal internal) {
        ByteBuf bytes = internal.getByteBuf();
        if (bytes.hasArray()) {
          return handler.handle(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
        }
      }
      return handler.handle(body.getBytes());
    }

    private void failure(RoutingContext ctx) {
      if (ctx.response().ended()) {
        return;
      }
      if (ctx.statusCode() == 413) {
        metrics.request(Outcome.ERROR, "unknown", "unknown");
        text(ctx, 400, tooLarge());
      } else {
        LOG.atWarn().setMessage("request failed").addKeyValue("status", ctx.statusCode())
            .addKeyValue("error", String.valueOf(ctx.failure())).log();
        text(ctx, 400, "request could not be read");
      }
    }

    private String tooLarge() {
      return "request body exceeds the limit of " + config.maxBodyBytes() + " bytes";
    }
  }

  private static void text(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
        .end(message + "\n");
  }
}
