package io.daemonguard.tls;

import io.daemonguard.tls.CertificateChecks.Validity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.slf4j.Logger;

/**
 * The certificate-reload loop: every interval, re-reads the certificate and key files and, when they changed and the
 * key belongs to the certificate, hands the new key material to the server. After open-policy-agent/cert-controller's
 * rotator, the loop only reads, checks and hands over, and what is judged about a certificate is in
 * {@link CertificateChecks}, pure functions asked with this loop's clock. A served certificate that is not yet valid,
 * expired or expiring soon, or that does not cover a name the server is reached by, is logged as a warning, once for
 * each change of its state, and served all the same: what to serve is the files' business, not this loop's.
 */
public final class CertificateReloader {

  /** How long before its end the server's certificate is warned about. */
  public static final Duration EXPIRY_WARNING = Duration.ofDays(7);

  /**
   * The logger of the server the loop serves, given by it: several servers share this class (the webhook, the
   * operator's health port), and a line about a certificate is read, and filtered, as a line of the server that
   * serves it; the webhook's lines also keep the logger name they had before the loop was shared.
   */
  private final Logger log;
  private final Vertx vertx;
  private final Path certFile;
  private final Path keyFile;
  private final long intervalMillis;
  private final Clock clock;
  private final Duration expiryWarning;
  private final List<String> dnsNames;
  private final IntSupplier port;
  private final Function<KeyCertOptions, Future<?>> swap;
  private volatile String fingerprint;
  /** The leaf of what is served; null when it could not be parsed (it is served all the same). */
  private volatile X509Certificate served;
  /** What was last said about {@link #served}, so that a warning is not repeated at every tick. */
  private volatile Validity warned;
  private long timer = -1;

  /**
   * @param log the serving server's logger, which says what the loop does
   * @param expiryWarning how long before its end a served certificate is warned about
   * @param dnsNames names the server is reached by, each warned about when the served certificate does not cover it;
   *     none to check no name
   * @param port the server's port, for the log
   * @param swap hands new key material to the server; its failure keeps the current certificate
   */
  public CertificateReloader(Logger log, Vertx vertx, Path certFile, Path keyFile, long intervalMillis, Clock clock,
      Duration expiryWarning, List<String> dnsNames, IntSupplier port, Function<KeyCertOptions, Future<?>> swap) {
    this.log = log;
    this.vertx = vertx;
    this.certFile = certFile;
    this.keyFile = keyFile;
    this.intervalMillis = intervalMillis;
    this.clock = clock;
    this.expiryWarning = expiryWarning;
    this.dnsNames = List.copyOf(dnsNames);
    this.port = port;
    this.swap = swap;
  }

  /** Starts the loop; {@code serving} is what the server was started with (read and checked by it). */
  public void start(TlsFiles serving) {
    fingerprint = serving.fingerprint();
    timer = vertx.setPeriodic(intervalMillis, t -> reloadIfChanged());
    nowServing(serving, "serving");
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** One tick: swaps in the files if they changed and are a usable pair; true when it did. */
  Future<Boolean> reloadIfChanged() {
    TlsFiles tls;
    try {
      tls = TlsFiles.read(certFile, keyFile);
    } catch (Exception e) {
      log.atWarn().setMessage("certificate files unreadable, keeping the current certificate")
          .addKeyValue("error", e.getMessage()).log();
      warnIfDue();
      return Future.succeededFuture(false);
    }
    if (tls.fingerprint().equals(fingerprint)) {
      warnIfDue();
      return Future.succeededFuture(false);
    }
    try {
      tls.checkPair(vertx);
    } catch (GeneralSecurityException e) {
      // one file replaced before the other; the next tick sees the finished pair
      log.atInfo().setMessage("certificate files changed but are not a usable pair yet, keeping the current one")
          .addKeyValue("error", e.getMessage()).log();
      warnIfDue();
      return Future.succeededFuture(false);
    }
    return swap.apply(tls.keyCertOptions()).map(done -> {
      fingerprint = tls.fingerprint();
      nowServing(tls, "certificate reloaded");
      return true;
    }).recover(e -> {
      // a half-written pair (new cert, old key) fails here; the next tick sees the finished pair
      log.atWarn().setMessage("new certificate rejected, keeping the current one")
          .addKeyValue("error", String.valueOf(e.getMessage())).log();
      warnIfDue();
      return Future.succeededFuture(false);
    });
  }

  /** Logs what is now served, and warns about it if it is due. */
  private void nowServing(TlsFiles tls, String message) {
    X509Certificate leaf;
    try {
      leaf = tls.leaf();
    } catch (Exception e) {
      served = null;
      log.atInfo().setMessage(message).log();
      return;
    }
    log.atInfo().setMessage(message)
        .addKeyValue("port", port.getAsInt())
        .addKeyValue("subject", leaf.getSubjectX500Principal().getName())
        .addKeyValue("notAfter", leaf.getNotAfter().toInstant().toString())
        .log();
    served = leaf;
    warned = null;
    warnIfDue();
    for (String name : dnsNames) {
      if (!CertificateChecks.coversName(leaf, name)) {
        log.atWarn().setMessage("the served certificate does not cover a name the server is reached by;"
                + " clients verifying that name will refuse it")
            .addKeyValue("name", name)
            .addKeyValue("subject", leaf.getSubjectX500Principal().getName())
            .log();
      }
    }
  }

  /** Warns when the served certificate's validity has changed since it was last looked at, unless it is now valid. */
  private void warnIfDue() {
    X509Certificate leaf = served;
    if (leaf == null) {
      return;
    }
    Instant now = clock.instant();
    Validity validity = CertificateChecks.validity(leaf, now, expiryWarning);
    if (validity == warned) {
      return;
    }
    warned = validity;
    String subject = leaf.getSubjectX500Principal().getName();
    String notAfter = leaf.getNotAfter().toInstant().toString();
    switch (validity) {
      case NOT_YET_VALID -> log.atWarn()
          .setMessage("the served certificate is not valid yet; clients will refuse it until notBefore")
          .addKeyValue("subject", subject)
          .addKeyValue("notBefore", leaf.getNotBefore().toInstant().toString())
          .log();
      case EXPIRED -> log.atWarn()
          .setMessage("the served certificate has expired; clients will refuse it until it is replaced")
          .addKeyValue("subject", subject)
          .addKeyValue("notAfter", notAfter)
          .log();
      case EXPIRES_SOON -> log.atWarn()
          .setMessage("the served certificate expires soon")
          .addKeyValue("subject", subject)
          .addKeyValue("notAfter", notAfter)
          .addKeyValue("remaining",
              Duration.between(now, leaf.getNotAfter().toInstant()).truncatedTo(ChronoUnit.MINUTES).toString())
          .log();
      case VALID -> { }
    }
  }
}
