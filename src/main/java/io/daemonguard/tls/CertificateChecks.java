package io.daemonguard.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * What is judged about a serving certificate, as pure functions of the certificate and of the time passed in: no
 * clock is read here, so that a test can put a certificate at any moment of its life. {@link CertificateReloader} asks
 * these with its clock.
 */
final class CertificateChecks {

  /** How the served certificate stands at a moment, the worst first. */
  enum Validity {
    NOT_YET_VALID, EXPIRED, EXPIRES_SOON, VALID
  }

  private CertificateChecks() {}

  /** Before the certificate's {@code notBefore}. */
  static boolean notYetValid(X509Certificate cert, Instant now) {
    return now.isBefore(cert.getNotBefore().toInstant());
  }

  /** After the certificate's {@code notAfter} (the last moment it is valid, as {@code checkValidity} counts). */
  static boolean expired(X509Certificate cert, Instant now) {
    return now.isAfter(cert.getNotAfter().toInstant());
  }

  /** The certificate is no longer valid at some moment before {@code now + window}: expired ones included. */
  static boolean expiresWithin(X509Certificate cert, Instant now, Duration window) {
    return cert.getNotAfter().toInstant().isBefore(now.plus(window));
  }

  /** Where {@code now} is in the certificate's life, with {@code window} as "soon". */
  static Validity validity(X509Certificate cert, Instant now, Duration window) {
    if (notYetValid(cert, now)) {
      return Validity.NOT_YET_VALID;
    }
    if (expired(cert, now)) {
      return Validity.EXPIRED;
    }
    return expiresWithin(cert, now, window) ? Validity.EXPIRES_SOON : Validity.VALID;
  }

  /**
   * Whether a client that verifies {@code dnsName}, as the apiserver verifies the Service's name, accepts the
   * certificate: a DNS subject alternative name equal to it, ignoring case and a final dot, or a wildcard
   * {@code *.rest} for exactly one left-most label (RFC 6125 6.4.3). The subject's common name is not read: Go's TLS
   * client, the apiserver's, has ignored it since Go 1.15.
   */
  static boolean coversName(X509Certificate cert, String dnsName) {
    String host = normalize(dnsName);
    if (host.isEmpty() || host.startsWith(".") || host.contains("..")) {
      return false;
    }
    Collection<List<?>> names;
    try {
      names = cert.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return false;
    }
    if (names == null) {
      return false;
    }
    for (List<?> name : names) {
      // each entry is [type, value]; type 2 is dNSName
      if (name.size() == 2 && Integer.valueOf(2).equals(name.get(0)) && name.get(1) instanceof String pattern
          && matches(normalize(pattern), host)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(String pattern, String host) {
    if (pattern.isEmpty()) {
      return false;
    }
    if (!pattern.startsWith("*.")) {
      return pattern.equals(host);
    }
    String rest = pattern.substring(1); // ".example.com"
    int firstDot = host.indexOf('.');
    // the wildcard stands for one whole, non-empty label, and not for a name of a single label below a top-level one
    return firstDot > 0 && host.substring(firstDot).equals(rest) && rest.indexOf('.', 1) > 0;
  }

  private static String normalize(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }
}
