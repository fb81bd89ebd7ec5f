package io.daemonguard.posture.collect;

import io.daemonguard.posture.ContainerdFacts;
import io.daemonguard.posture.Endpoint;
import io.daemonguard.posture.ListenerFact;
import io.daemonguard.posture.NodeFacts;
import io.daemonguard.posture.ProbeFact;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * {@code --probe}: asks each daemon TCP listener, over loopback only, what it speaks. Docker gets {@code GET /_ping}
 * in plain HTTP and over TLS without a client certificate; containerd gets the HTTP/2 preface that starts every gRPC
 * connection. Nothing is ever sent to an address other than 127.0.0.1 or ::1: a listener bound to another address
 * only is reported as not probed.
 */
public final class LoopbackProbe {
  private LoopbackProbe() {}

  /** Refuses anything but a loopback address: the probe's one safety rule, checked before every connection. */
  public static InetSocketAddress loopbackOnly(InetAddress address, int port) {
    if (!address.isLoopbackAddress()) {
      throw new IllegalArgumentException("--probe connects to loopback only, not " + address.getHostAddress());
    }
    return new InetSocketAddress(address, port);
  }

  public static List<ProbeFact> probe(NodeFacts facts, Duration timeout) {
    List<ProbeFact> probes = new ArrayList<>();
    Set<Integer> done = new HashSet<>();
    if (facts.docker() != null) {
      for (Endpoint e : facts.docker().endpoints()) {
        if (e.overTcp() && !Boolean.FALSE.equals(e.live()) && done.add(e.port())) {
          probes.add(docker(target(facts, e.port()), e.port(), timeout));
        }
      }
    }
    for (ContainerdFacts c : facts.containerd() == null ? List.<ContainerdFacts>of() : facts.containerd()) {
      Endpoint e = c.tcp();
      if (e != null && !Boolean.FALSE.equals(e.live()) && done.add(e.port())) {
        probes.add(grpc(target(facts, e.port()), e.port(), timeout));
      }
    }
    return probes;
  }

  /** The loopback address that reaches the listener on {@code port}, or null when it is bound elsewhere only. */
  private static InetAddress target(NodeFacts facts, int port) {
    try {
      for (ListenerFact l : facts.listeners() == null ? List.<ListenerFact>of() : facts.listeners()) {
        if (l.port() != port) {
          continue;
        }
        if (l.address().equals("0.0.0.0") || l.address().startsWith("127.")) {
          return InetAddress.getByName("127.0.0.1");
        }
        if (l.address().equals("::") || l.address().equals("::1")) {
          return InetAddress.getByName("::1");
        }
      }
      return facts.listeners() == null || facts.listeners().isEmpty() ? InetAddress.getByName("127.0.0.1") : null;
    } catch (UnknownHostException e) {
      throw new IllegalStateException("loopback literals always parse", e);
    }
  }

  static ProbeFact docker(InetAddress address, int port, Duration timeout) {
    if (address == null) {
      return new ProbeFact(null, port, "dockerd", null, "not probed: bound to a non-loopback address only", null,
          null, null);
    }
    InetSocketAddress target = loopbackOnly(address, port);
    String shown = address.getHostAddress() + ":" + port;
    Boolean plain = null;
    String plainAnswer;
    try (Socket socket = new Socket()) {
      String status = ping(socket, target, timeout);
      plain = status.startsWith("HTTP/1.") && status.contains(" 200 ");
      plainAnswer = status.isEmpty() ? "connection closed without an answer"
          : status.charAt(0) == 0x15 || status.charAt(0) == 0x16 ? "answered in TLS, not HTTP"
          : "answered " + firstLine(status);
    } catch (IOException e) {
      plainAnswer = "no answer: " + e.getMessage();
    }
    Boolean tls = null;
    String tlsAnswer;
    AtomicBoolean askedForCertificate = new AtomicBoolean();
    try (SSLSocket socket = (SSLSocket) context(askedForCertificate).getSocketFactory().createSocket()) {
      String status = ping(socket, target, timeout);
      tls = status.startsWith("HTTP/1.") && status.contains(" 200 ");
      tlsAnswer = status.isEmpty() ? "connection closed without an answer" : "answered " + firstLine(status);
    } catch (IOException e) {
      // a server that asks for a certificate and then ends the connection refused the client without one; how it
      // ends it (an alert, a reset, a broken pipe) depends on the TLS version and on timing
      tls = askedForCertificate.get() ? Boolean.FALSE : null;
      tlsAnswer = (askedForCertificate.get() ? "asked for a client certificate and refused the client without one: "
          : e instanceof javax.net.ssl.SSLException ? "no TLS: " : "no answer: ") + e.getMessage();
    } catch (GeneralSecurityException e) {
      tlsAnswer = "no TLS client: " + e.getMessage();
    }
    return new ProbeFact(shown, port, "dockerd", plain, plainAnswer, tls, tlsAnswer, null);
  }

  static ProbeFact grpc(InetAddress address, int port, Duration timeout) {
    if (address == null) {
      return new ProbeFact(null, port, "containerd", null, "not probed: bound to a non-loopback address only", null,
          null, null);
    }
    InetSocketAddress target = loopbackOnly(address, port);
    byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] settings = {0, 0, 0, 4, 0, 0, 0, 0, 0};
    try (Socket socket = new Socket()) {
      socket.connect(target, (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(preface);
      out.write(settings);
      out.flush();
      byte[] frame = socket.getInputStream().readNBytes(9);
      boolean http2 = frame.length == 9 && frame[3] == 4;
      return new ProbeFact(address.getHostAddress() + ":" + port, port, "containerd", http2,
          http2 ? "answered the HTTP/2 preface with SETTINGS: gRPC in clear text" : "no HTTP/2 in clear text",
          null, null, http2);
    } catch (IOException e) {
      return new ProbeFact(address.getHostAddress() + ":" + port, port, "containerd", null,
          "no answer: " + e.getMessage(), null, null, null);
    }
  }

  private static String ping(Socket socket, InetSocketAddress target, Duration timeout) throws IOException {
    socket.connect(target, (int) timeout.toMillis());
    socket.setSoTimeout((int) timeout.toMillis());
    OutputStream out = socket.getOutputStream();
    out.write("GET /_ping HTTP/1.0\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    byte[] head = in.readNBytes(256);
    return new String(head, StandardCharsets.ISO_8859_1);
  }

  private static String firstLine(String text) {
    int end = text.indexOf('\r');
    return end < 0 ? text : text.substring(0, end);
  }

  /**
   * Trusts any server certificate (the probe asks whether TLS lets a client in, not who the server is) and presents
   * none, noting whether the server asked for one.
   */
  private static SSLContext context(AtomicBoolean askedForCertificate) throws GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    X509ExtendedKeyManager noCertificate = new X509ExtendedKeyManager() {
      @Override
      public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        askedForCertificate.set(true);
        return null;
      }

      @Override
      public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        askedForCertificate.set(true);
        return null;
      }

      @Override
      public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[0];
      }

      @Override
      public String[] getServerAliases(String keyType, Principal[] issuers) {
        return new String[0];
      }

      @Override
      public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
      }

      @Override
      public X509Certificate[] getCertificateChain(String alias) {
        return null;
      }

      @Override
      public PrivateKey getPrivateKey(String alias) {
        return null;
      }
    };
    context.init(new KeyManager[] {noCertificate}, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, new SecureRandom());
    return context;
  }
}
