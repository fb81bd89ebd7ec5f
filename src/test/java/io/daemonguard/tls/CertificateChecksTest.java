package io.daemonguard.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonguard.tls.CertificateChecks.Validity;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure checks, on certificates made for them and a moment picked for each: no server, no clock. */
class CertificateChecksTest {

  private static final KeyPair KEYS = keys();
  private static final Instant NOT_BEFORE = Instant.parse("2030-01-01T00:00:00Z");
  private static final Instant NOT_AFTER = Instant.parse("2030-04-01T00:00:00Z");
  private static final Duration WEEK = Duration.ofDays(7);
  private static final X509Certificate CERT = certificate("CN=daemonguard.daemonguard.svc", NOT_BEFORE, NOT_AFTER,
      "daemonguard.daemonguard.svc", "daemonguard.daemonguard.svc.cluster.local", "*.apps.Example.com.");

  @Test
  void notYetValidUntilNotBefore() {
    assertThat(CertificateChecks.notYetValid(CERT, NOT_BEFORE.minusSeconds(1))).isTrue();
    assertThat(CertificateChecks.notYetValid(CERT, NOT_BEFORE)).isFalse();
    assertThat(CertificateChecks.notYetValid(CERT, NOT_AFTER.plusSeconds(1))).isFalse();
  }

  @Test
  void expiredAfterNotAfterAndNotAtIt() {
    assertThat(CertificateChecks.expired(CERT, NOT_AFTER.minusSeconds(1))).isFalse();
    assertThat(CertificateChecks.expired(CERT, NOT_AFTER)).isFalse();
    assertThat(CertificateChecks.expired(CERT, NOT_AFTER.plusSeconds(1))).isTrue();
    assertThat(CertificateChecks.expired(CERT, NOT_BEFORE.minusSeconds(1))).isFalse();
  }

  @Test
  void expiresWithinTheWindowWhenItEndsBeforeTheWindowDoes() {
    assertThat(CertificateChecks.expiresWithin(CERT, NOT_AFTER.minus(WEEK).minusSeconds(1), WEEK)).isFalse();
    assertThat(CertificateChecks.expiresWithin(CERT, NOT_AFTER.minus(WEEK), WEEK)).isFalse();
    assertThat(CertificateChecks.expiresWithin(CERT, NOT_AFTER.minus(WEEK).plusSeconds(1), WEEK)).isTrue();
    assertThat(CertificateChecks.expiresWithin(CERT, NOT_AFTER.minusSeconds(1), WEEK)).isTrue();
    assertThat(CertificateChecks.expiresWithin(CERT, NOT_AFTER.plus(Duration.ofDays(30)), WEEK)).as("expired")
        .isTrue();
    assertThat(CertificateChecks.expiresWithin(CERT, NOT_BEFORE, WEEK)).isFalse();
    assertThat(CertificateChecks.expiresWithin(CERT, NOT_BEFORE, Duration.ofDays(365))).isTrue();
  }

  @Test
  void validityAtEachMomentOfTheCertificatesLife() {
    assertThat(CertificateChecks.validity(CERT, NOT_BEFORE.minusSeconds(1), WEEK)).isEqualTo(Validity.NOT_YET_VALID);
    assertThat(CertificateChecks.validity(CERT, NOT_BEFORE, WEEK)).isEqualTo(Validity.VALID);
    assertThat(CertificateChecks.validity(CERT, NOT_AFTER.minus(WEEK), WEEK)).isEqualTo(Validity.VALID);
    assertThat(CertificateChecks.validity(CERT, NOT_AFTER.minus(WEEK).plusSeconds(1), WEEK))
        .isEqualTo(Validity.EXPIRES_SOON);
    assertThat(CertificateChecks.validity(CERT, NOT_AFTER, WEEK)).isEqualTo(Validity.EXPIRES_SOON);
    assertThat(CertificateChecks.validity(CERT, NOT_AFTER.plusSeconds(1), WEEK)).isEqualTo(Validity.EXPIRED);
  }

  @Test
  void aCertificateShorterThanTheWindowIsNotYetValidBeforeItIsSoonToExpire() {
    X509Certificate brief = certificate("CN=brief", NOT_BEFORE, NOT_BEFORE.plus(Duration.ofDays(1)), "brief");

    assertThat(CertificateChecks.validity(brief, NOT_BEFORE.minusSeconds(1), WEEK)).isEqualTo(Validity.NOT_YET_VALID);
    assertThat(CertificateChecks.validity(brief, NOT_BEFORE, WEEK)).isEqualTo(Validity.EXPIRES_SOON);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
      "daemonguard.daemonguard.svc, true",
      "DaemonGuard.DaemonGuard.SVC, true",
      "daemonguard.daemonguard.svc., true",
      "daemonguard.daemonguard.svc.cluster.local, true",
      "daemonguard.daemonguard, false",
      "daemonguard.daemonguard.svc.cluster, false",
      "other.daemonguard.svc, false",
      "xdaemonguard.daemonguard.svc, false",
      "web.apps.example.com, true",
      "WEB.Apps.Example.Com, true",
      "a.web.apps.example.com, false",
      "apps.example.com, false",
      ".apps.example.com, false",
      "*.apps.example.com, true",
      "web..apps.example.com, false",
      "127.0.0.1, false",
      "'', false"})
  void coversTheNamesOfItsDnsSubjectAlternativeNames(String name, boolean covered) {
    assertThat(CertificateChecks.coversName(CERT, name)).isEqualTo(covered);
  }

  @Test
  void coversNoNameByItsCommonNameAloneNorByAnIpAddress() {
    X509Certificate commonNameOnly = certificate("CN=daemonguard.daemonguard.svc", NOT_BEFORE, NOT_AFTER);
    X509Certificate ipOnly = certificate("CN=x", NOT_BEFORE, NOT_AFTER, "ip:127.0.0.1");

    assertThat(CertificateChecks.coversName(commonNameOnly, "daemonguard.daemonguard.svc")).isFalse();
    assertThat(CertificateChecks.coversName(ipOnly, "127.0.0.1")).isFalse();
  }

  @Test
  void aWildcardOverATopLevelNameCoversNothing() {
    X509Certificate wide = certificate("CN=wide", NOT_BEFORE, NOT_AFTER, "*.svc", "*");

    assertThat(CertificateChecks.coversName(wide, "daemonguard.svc")).isFalse();
    assertThat(CertificateChecks.coversName(wide, "svc")).isFalse();
  }

  /** A self-signed certificate; names starting {@code ip:} are IP addresses, the others DNS names. */
  static X509Certificate certificate(String subject, Instant notBefore, Instant notAfter, String... names) {
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(subject), BigInteger.ONE,
          Date.from(notBefore), Date.from(notAfter), new X500Name(subject), KEYS.getPublic());
      if (names.length > 0) {
        GeneralName[] general = new GeneralName[names.length];
        for (int i = 0; i < names.length; i++) {
          general[i] = names[i].startsWith("ip:")
              ? new GeneralName(GeneralName.iPAddress, names[i].substring(3))
              : new GeneralName(GeneralName.dNSName, names[i]);
        }
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(general));
      }
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(KEYS.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair keys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
