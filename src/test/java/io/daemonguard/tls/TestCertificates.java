package io.daemonguard.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** A throwaway CA and serving certificates for localhost, written as PEM files the way Kubernetes Secrets hold them. */
public final class TestCertificates {

  private final KeyPair caKeys;
  private final X509Certificate ca;

  private TestCertificates(String caName) throws Exception {
    caKeys = rsa();
    Instant now = Instant.now();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
        new X500Name("CN=" + caName), BigInteger.valueOf(now.toEpochMilli()),
        Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))),
        new X500Name("CN=" + caName), caKeys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    ca = sign(builder, caKeys);
  }

  public static TestCertificates newCa(String name) throws Exception {
    return new TestCertificates(name);
  }

  public X509Certificate ca() {
    return ca;
  }

  /** Writes a serving certificate for localhost/127.0.0.1 signed by this CA; {@code pkcs1} writes the key as Helm does. */
  public X509Certificate writeServing(Path certFile, Path keyFile, String commonName, boolean pkcs1) throws Exception {
    KeyPair keys = rsa();
    Instant now = Instant.now();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
        X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
        BigInteger.valueOf(System.nanoTime()),
        Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))),
        new X500Name("CN=" + commonName), keys.getPublic());
    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
    X509Certificate cert = sign(builder, caKeys);
    // write beside and move, as the kubelet swaps a Secret volume atomically
    Path certTmp = certFile.resolveSibling(certFile.getFileName() + ".tmp");
    Path keyTmp = keyFile.resolveSibling(keyFile.getFileName() + ".tmp");
    Files.writeString(certTmp, pem(cert));
    Files.writeString(keyTmp, pkcs1 ? pem(keys) : pem(new PemObject("PRIVATE KEY", keys.getPrivate().getEncoded())));
    Files.move(keyTmp, keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.move(certTmp, certFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return cert;
  }

  /** A client context that trusts this CA only. */
  public SSLContext clientContext() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca);
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), new SecureRandom());
    return context;
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) throws Exception {
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate())));
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      if (object instanceof PemObject pemObject) {
        writer.writeObject(pemObject);
      } else {
        writer.writeObject(new JcaMiscPEMGenerator(object));
      }
    }
    return out.toString();
  }
}
