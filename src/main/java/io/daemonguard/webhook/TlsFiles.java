package io.daemonguard.webhook;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** One consistent read of the certificate and key files, as bytes, with a fingerprint to notice a change. */
public record TlsFiles(byte[] cert, byte[] key, String fingerprint) {

  public static TlsFiles read(Path certFile, Path keyFile) throws IOException {
    byte[] cert = readNonEmpty(certFile, "--tls-cert");
    byte[] key = readNonEmpty(keyFile, "--tls-key");
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(cert);
      digest.update((byte) 0);
      digest.update(key);
      return new TlsFiles(cert, key, HexFormat.of().formatHex(digest.digest()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] readNonEmpty(Path file, String option) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IOException(option + " " + file + ": cannot read (" + e.getClass().getSimpleName() + ")", e);
    }
    if (bytes.length == 0) {
      throw new IOException(option + " " + file + ": the file is empty");
    }
    return bytes;
  }

  public PemKeyCertOptions keyCertOptions() {
    return new PemKeyCertOptions().setCertValue(Buffer.buffer(cert)).setKeyValue(Buffer.buffer(key));
  }

  /** The leaf certificate, for logging its subject and expiry (never the key). */
  public X509Certificate leaf() throws CertificateException {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(cert));
  }
}
