package io.daemonguard.tls;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.X509KeyManager;

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

  /**
   * Proves the key belongs to the leaf certificate by signing with one and verifying with the other. Files replaced
   * one at a time (not as a Secret volume swaps them) are briefly a mismatched pair, which must never be served.
   */
  public void checkPair(Vertx vertx) throws GeneralSecurityException {
    X509KeyManager keyManager;
    try {
      keyManager = (X509KeyManager) keyCertOptions().getKeyManagerFactory(vertx).getKeyManagers()[0];
    } catch (Exception e) {
      throw new GeneralSecurityException("cannot load the certificate and key: " + e.getMessage(), e);
    }
    String alias = null;
    for (String keyType : new String[] {"RSA", "EC", "EdDSA", "Ed25519"}) {
      String[] aliases = keyManager.getServerAliases(keyType, null);
      if (aliases != null && aliases.length > 0) {
        alias = aliases[0];
        break;
      }
    }
    if (alias == null) {
      throw new GeneralSecurityException("no usable certificate and key");
    }
    PrivateKey key = keyManager.getPrivateKey(alias);
    X509Certificate[] chain = keyManager.getCertificateChain(alias);
    if (key == null || chain == null || chain.length == 0) {
      throw new GeneralSecurityException("no usable certificate and key");
    }
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> throw new GeneralSecurityException("unsupported key algorithm " + key.getAlgorithm());
    };
    byte[] probe = fingerprint.getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(chain[0].getPublicKey());
    verifier.update(probe);
    if (!verifier.verify(signature)) {
      throw new GeneralSecurityException("the key does not belong to the certificate");
    }
  }

  /** The leaf certificate, for logging its subject and expiry (never the key). */
  public X509Certificate leaf() throws CertificateException {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(cert));
  }
}
