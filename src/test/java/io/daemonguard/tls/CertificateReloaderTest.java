package io.daemonguard.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The reload loop without a server: what it hands over, what it keeps, and what it says, with a clock it is given.
 * Whatever it warns about, it hands over every usable pair: it never refuses to serve.
 */
class CertificateReloaderTest {

  /** The test certificates live a day, always within the server's week. */
  private static final Duration WARNING = Duration.ofHours(6);
  private static Vertx vertx;
  private static TestCertificates ca;

  @TempDir
  Path dir;
  private Path cert;
  private Path key;
  private final List<String> swapped = new CopyOnWriteArrayList<>();
  private volatile boolean swapFails;
  private final MovableClock clock = new MovableClock();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(CertificateReloaderTest.class);
  private Level level;
  private X509Certificate first;
  private CertificateReloader reloader;

  @BeforeAll
  static void startVertx() throws Exception {
    vertx = Vertx.vertx();
    ca = TestCertificates.newCa("reloader-test-ca");
  }

  @AfterAll
  static void stopVertx() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void setUp() throws Exception {
    cert = dir.resolve("tls.crt");
    key = dir.resolve("tls.key");
    first = ca.writeServing(cert, key, "first", false);
    clock.now = Instant.now();
    level = logger.getLevel();
    logger.setLevel(Level.INFO);
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void tearDown() {
    if (reloader != null) {
      reloader.stop();
    }
    logger.detachAppender(logs);
    logger.setLevel(level);
  }

  private CertificateReloader reloader(long intervalMillis, List<String> names) throws Exception {
    reloader = new CertificateReloader(logger, vertx, cert, key, intervalMillis, clock, WARNING, names, () -> 8443, options -> {
      if (swapFails) {
        return Future.failedFuture("refused by the server");
      }
      swapped.add(((PemKeyCertOptions) options).getCertValues().get(0).toString());
      return Future.succeededFuture();
    });
    reloader.start(TlsFiles.read(cert, key));
    return reloader;
  }

  private CertificateReloader reloader() throws Exception {
    // an hour between ticks: the test ticks
    return reloader(3_600_000, List.of());
  }

  private boolean tick() throws Exception {
    return reloader.reloadIfChanged().await(10, TimeUnit.SECONDS);
  }

  @Test
  void handsOverAChangedPairOnceAndSaysWhatItServes() throws Exception {
    reloader();
    assertThat(tick()).as("nothing changed").isFalse();

    ca.writeServing(cert, key, "second", true);
    assertThat(tick()).isTrue();
    assertThat(tick()).as("handed over already").isFalse();

    assertThat(swapped).containsExactly(Files.readString(cert));
    assertThat(messages(Level.INFO)).containsExactly("serving", "certificate reloaded");
    assertThat(keyValues(last(Level.INFO))).containsEntry("subject", "CN=second").containsEntry("port", 8443)
        .containsKey("notAfter");
    assertThat(messages(Level.WARN)).isEmpty();
  }

  @Test
  void keepsTheCurrentCertificateUntilTheKeyBelongsToIt() throws Exception {
    reloader();
    Path otherCert = dir.resolve("other.crt");
    Path otherKey = dir.resolve("other.key");
    ca.writeServing(otherCert, otherKey, "second", false);
    Files.copy(otherCert, cert, StandardCopyOption.REPLACE_EXISTING);

    assertThat(tick()).isFalse();
    assertThat(swapped).isEmpty();
    assertThat(messages(Level.INFO)).contains(
        "certificate files changed but are not a usable pair yet, keeping the current one");

    Files.copy(otherKey, key, StandardCopyOption.REPLACE_EXISTING);
    assertThat(tick()).isTrue();
    assertThat(swapped).containsExactly(Files.readString(cert));
  }

  @Test
  void keepsTheCurrentCertificateWhenTheFilesAreUnreadable() throws Exception {
    reloader();
    Files.delete(key);

    assertThat(tick()).isFalse();
    assertThat(swapped).isEmpty();
    assertThat(messages(Level.WARN)).containsExactly("certificate files unreadable, keeping the current certificate");
  }

  @Test
  void triesAgainAtTheNextTickWhenTheServerRefusedThePair() throws Exception {
    reloader();
    ca.writeServing(cert, key, "second", false);
    swapFails = true;

    assertThat(tick()).isFalse();
    assertThat(messages(Level.WARN)).containsExactly("new certificate rejected, keeping the current one");
    assertThat(keyValues(last(Level.WARN))).containsEntry("error", "refused by the server");

    swapFails = false;
    assertThat(tick()).isTrue();
    assertThat(swapped).containsExactly(Files.readString(cert));
  }

  @Test
  void warnsOnceAsTheServedCertificateNearsItsEndAndOnceWhenItHasPassedIt() throws Exception {
    reloader();
    assertThat(messages(Level.WARN)).isEmpty();
    Instant notAfter = first.getNotAfter().toInstant();

    clock.now = notAfter.minus(WARNING).plus(Duration.ofHours(1));
    tick();
    tick();
    assertThat(messages(Level.WARN)).containsExactly("the served certificate expires soon");
    assertThat(keyValues(last(Level.WARN)))
        .containsEntry("subject", "CN=first")
        .containsEntry("notAfter", notAfter.toString())
        .containsEntry("remaining", "PT5H");

    clock.now = notAfter.plusSeconds(1);
    tick();
    tick();
    assertThat(messages(Level.WARN)).containsExactly("the served certificate expires soon",
        "the served certificate has expired; clients will refuse it until it is replaced");
    assertThat(keyValues(last(Level.WARN))).containsEntry("notAfter", notAfter.toString());

    // still served, and a replacement still handed over; a good one is not warned about
    clock.now = Instant.now();
    ca.writeServing(cert, key, "second", false);
    assertThat(tick()).isTrue();
    assertThat(messages(Level.WARN)).hasSize(2);
  }

  @Test
  void warnsWhenItStartsServingACertificateNotValidYetAndServesIt() throws Exception {
    clock.now = first.getNotBefore().toInstant().minusSeconds(60);
    reloader();

    assertThat(messages(Level.WARN)).containsExactly(
        "the served certificate is not valid yet; clients will refuse it until notBefore");
    assertThat(keyValues(last(Level.WARN)))
        .containsEntry("notBefore", first.getNotBefore().toInstant().toString());
    assertThat(messages(Level.INFO)).containsExactly("serving");
  }

  @Test
  void warnsWhenTheServedCertificateDoesNotCoverANameItIsReachedBy() throws Exception {
    reloader(3_600_000, List.of("localhost", "daemonguard.daemonguard.svc"));

    assertThat(messages(Level.WARN)).containsExactly("the served certificate does not cover a name the server is"
        + " reached by; clients verifying that name will refuse it");
    assertThat(keyValues(last(Level.WARN))).containsEntry("name", "daemonguard.daemonguard.svc");
  }

  @Test
  void pollsTheFilesEveryIntervalUntilStopped() throws Exception {
    reloader(50, List.of());
    ca.writeServing(cert, key, "second", false);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(swapped).hasSize(1));

    reloader.stop();
    Thread.sleep(200); // a tick already running when stopped
    ca.writeServing(cert, key, "third", false);
    Thread.sleep(500);
    assertThat(swapped).hasSize(1);
  }

  private List<String> messages(Level at) {
    return logs.list.stream().filter(e -> e.getLevel() == at).map(ILoggingEvent::getMessage).toList();
  }

  private ILoggingEvent last(Level at) {
    List<ILoggingEvent> events = logs.list.stream().filter(e -> e.getLevel() == at).toList();
    return events.get(events.size() - 1);
  }

  private static Map<String, Object> keyValues(ILoggingEvent event) {
    return event.getKeyValuePairs().stream().collect(Collectors.toMap(pair -> pair.key, pair -> pair.value));
  }

  /** A clock the test moves. */
  private static final class MovableClock extends Clock {
    volatile Instant now = Instant.now();

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
