package io.daemonguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daemonguard.posture.HostFixture;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --probe} against real local servers: plain HTTP, TLS with and without client verification. */
class ScanNodeProbeTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  /** Answers every connection with Docker's /_ping response, until closed. */
  static Thread serve(ServerSocket server) {
    Thread thread = new Thread(() -> {
      while (!server.isClosed()) {
        try (Socket socket = server.accept()) {
          socket.setSoTimeout(2000);
          InputStream in = socket.getInputStream();
          byte[] request = new byte[1024];
          in.read(request);
          OutputStream out = socket.getOutputStream();
          out.write("HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n\r\nOK"
              .getBytes(StandardCharsets.US_ASCII));
          out.flush();
        } catch (Exception e) {
          // a refused handshake, or the test closing the server
        }
      }
    });
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private JsonNode scanWithProbe(int port, String... dockerFlags) throws Exception {
    new HostFixture(dir).dockerd(dockerFlags).listen("127.0.0.1", port, 5001, 100);
    CheckRun run = ScanNodeCommandTest.scan("--host-root", dir.toString(), "--probe", "-o", "json");
    assertThat(run.exitCode()).as(run.toString()).isIn(0, 1);
    return JSON.readTree(run.out());
  }

  @Test
  void plainHttpThatAnswersIsCriticalWhateverTheFilesSay() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
      serve(server);
      int port = server.getLocalPort();
      JsonNode root = scanWithProbe(port, "-H", "tcp://127.0.0.1:" + port, "--tlsverify");

      JsonNode probe = root.path("facts").path("probes").get(0);
      assertThat(probe.path("target").asText()).isEqualTo("127.0.0.1:" + port);
      assertThat(probe.path("plainHttp").asBoolean()).isTrue();
      assertThat(root.path("findings").get(0).path("check").asText()).isEqualTo("docker-tcp-without-tls");
      assertThat(root.path("findings").get(0).path("evidence").toString()).contains("probe: plain HTTP: answered");
    }
  }

  @Test
  void tlsThatLetsAClientWithoutCertificateInIsHigh() throws Exception {
    try (SSLServerSocket server = tlsServer(false)) {
      serve(server);
      int port = server.getLocalPort();
      JsonNode root = scanWithProbe(port, "-H", "tcp://127.0.0.1:" + port, "--tlsverify", "--userns-remap=default");

      JsonNode probe = root.path("facts").path("probes").get(0);
      assertThat(probe.path("plainHttp").asBoolean()).isFalse();
      assertThat(probe.path("tlsWithoutClientCert").asBoolean()).as(probe.toString()).isTrue();
      assertThat(root.path("findings").get(0).path("check").asText()).isEqualTo("docker-tcp-without-client-verify");
    }
  }

  @Test
  void tlsThatRefusesAClientWithoutCertificatePasses() throws Exception {
    try (SSLServerSocket server = tlsServer(true)) {
      serve(server);
      int port = server.getLocalPort();
      JsonNode root = scanWithProbe(port, "-H", "tcp://127.0.0.1:" + port, "--tls", "--userns-remap=default");

      JsonNode probe = root.path("facts").path("probes").get(0);
      assertThat(probe.path("tlsWithoutClientCert").asBoolean(true)).as(probe.toString()).isFalse();
      assertThat(root.path("findings")).as(root.path("findings").toString()).isEmpty();
    }
  }

  @Test
  void aListenerBoundToAnotherAddressOnlyIsNotProbed() throws Exception {
    new HostFixture(dir).dockerd("-H", "tcp://10.1.2.3:2375").listen("10.1.2.3", 2375, 5001, 100);

    CheckRun run = ScanNodeCommandTest.scan("--host-root", dir.toString(), "--probe", "-o", "json");

    JsonNode probe = JSON.readTree(run.out()).path("facts").path("probes").get(0);
    assertThat(probe.path("plainAnswer").asText()).contains("not probed");
    assertThat(probe.has("target")).isFalse();
  }

  private SSLServerSocket tlsServer(boolean needClientAuth) throws Exception {
    Path store = dir.resolve("server.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "s", "-keyalg", "EC", "-dname", "CN=localhost", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    keytool.getInputStream().readAllBytes();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(store.toFile())) {
      keys.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, "changeit".toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
        .createServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
    server.setNeedClientAuth(needClientAuth);
    return server;
  }
}
