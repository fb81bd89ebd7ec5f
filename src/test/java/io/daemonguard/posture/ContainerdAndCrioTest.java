package io.daemonguard.posture;

import static io.daemonguard.posture.HostFixture.of;
import static io.daemonguard.posture.HostFixture.outcome;
import static io.daemonguard.posture.HostFixture.summary;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonguard.api.PostureCheck;
import io.daemonguard.posture.evaluate.CheckOutcome;
import io.daemonguard.posture.evaluate.Evaluation;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** containerd's config.toml (versions 2 and 3, imports), its TCP gRPC address and socket; CRI-O's socket. */
class ContainerdAndCrioTest {
  @TempDir
  Path dir;
  HostFixture host;

  @BeforeEach
  void host() {
    host = new HostFixture(dir);
  }

  private HostFixture containerd(String config) {
    return host.process(50, "containerd", 0, "/usr/bin/containerd")
        .write("/etc/containerd/config.toml", config)
        .socket("/run/containerd/containerd.sock", 0, 0, "rw-rw----");
  }

  @Test
  void aSafeContainerdHasNoFinding() {
    containerd("version = 2\n[grpc]\n  address = \"/run/containerd/containerd.sock\"\n");

    Evaluation evaluation = host.evaluate();

    assertThat(summary(evaluation)).isEmpty();
    assertThat(outcome(evaluation, PostureCheck.CONTAINERD_SOCKET_PERMISSIONS)).isEqualTo(CheckOutcome.PASS);
    assertThat(host.facts().containerd().get(0).configVersion()).isEqualTo(2);
  }

  @Test
  void aTcpAddressWithoutTlsIsCriticalInVersion2() {
    containerd("version = 2\n[grpc]\n  tcp_address = \"0.0.0.0:10010\"\n").listen("0.0.0.0", 10010, 7001, 50);

    Evaluation evaluation = host.evaluate();

    assertThat(summary(evaluation)).containsExactly("containerd-tcp-without-tls critical");
    assertThat(of(evaluation, PostureCheck.CONTAINERD_TCP_WITHOUT_TLS).get(0).evidence())
        .anySatisfy(e -> assertThat(e).contains("containerd (pid 50)"));
  }

  @Test
  void aTcpAddressWithTlsButNoClientCaIsHighInVersion3() {
    containerd("version = 3\n[grpc]\n  tcp_address = \"0.0.0.0:10010\"\n  tcp_tls_cert = \"/c.pem\"\n"
        + "  tcp_tls_key = \"/k.pem\"\n").listen("0.0.0.0", 10010, 7001, 50);

    assertThat(summary(host.evaluate())).containsExactly("containerd-tcp-without-client-verify high");
  }

  @Test
  void aTcpAddressWithTlsAndClientCaPasses() {
    containerd("version = 3\n[grpc]\n  tcp_address = \"0.0.0.0:10010\"\n  tcp_tls_cert = \"/c.pem\"\n"
        + "  tcp_tls_key = \"/k.pem\"\n  tcp_tls_ca = \"/ca.pem\"\n").listen("0.0.0.0", 10010, 7001, 50);

    assertThat(summary(host.evaluate())).isEmpty();
  }

  @Test
  void anImportedFileOverridesTheMainOne() {
    containerd("version = 2\nimports = [\"/etc/containerd/conf.d/*.toml\"]\n[grpc]\n  tcp_address = \"\"\n")
        .write("/etc/containerd/conf.d/10-tcp.toml", "version = 2\n[grpc]\n  tcp_address = \"127.0.0.1:10010\"\n")
        .listen("127.0.0.1", 10010, 7001, 50);

    Evaluation evaluation = host.evaluate();

    assertThat(summary(evaluation)).containsExactly("containerd-tcp-without-tls critical");
    assertThat(of(evaluation, PostureCheck.CONTAINERD_TCP_WITHOUT_TLS).get(0).evidence())
        .anySatisfy(e -> assertThat(e).contains("10-tcp.toml"));
  }

  @Test
  void theConfigFlagAndATcpAddressWithNothingListeningIsInfo() {
    host.process(50, "containerd", 0, "containerd", "--config", "/opt/ctr.toml")
        .write("/opt/ctr.toml", "[grpc]\naddress = \"/opt/ctr.sock\"\ntcp_address = \"0.0.0.0:10010\"\n")
        .socket("/opt/ctr.sock", 0, 0, "rw-------");

    Evaluation evaluation = host.evaluate();

    assertThat(summary(evaluation)).containsExactly("containerd-tcp-without-tls info");
    assertThat(host.facts().containerd().get(0).sockets().get(0).path()).isEqualTo("/opt/ctr.sock");
  }

  @Test
  void malformedTomlIsUnknownNotAPass() {
    containerd("version = 2\n[grpc\n tcp_address = ");

    Evaluation evaluation = host.evaluate();

    assertThat(outcome(evaluation, PostureCheck.CONTAINERD_TCP_WITHOUT_TLS)).isEqualTo(CheckOutcome.UNKNOWN);
    assertThat(of(evaluation, PostureCheck.CONTAINERD_TCP_WITHOUT_TLS).get(0).message()).contains("malformed TOML");
  }

  @Test
  void aSocketOpenToOthersIsHigh() {
    containerd("version = 2\n").chmod("/run/containerd/containerd.sock", "rw-rw-rw-");

    assertThat(summary(host.evaluate())).containsExactly("containerd-socket-permissions high");
  }

  @Test
  void aSocketOfAnotherGroupWithGroupAccessIsHigh() {
    containerd("version = 2\n").chown("/run/containerd/containerd.sock", 0, 998);

    assertThat(summary(host.evaluate())).containsExactly("containerd-socket-permissions high");
  }

  @Test
  void crioSocketFromADropInIsJudged() {
    host.process(60, "crio", 0, "/usr/bin/crio")
        .write("/etc/crio/crio.conf", "[crio.api]\nlisten = \"/var/run/crio/crio.sock\"\n")
        .write("/etc/crio/crio.conf.d/10-listen.conf", "[crio.api]\nlisten = \"/run/crio/api.sock\"\n")
        .socket("/run/crio/api.sock", 0, 0, "rw-rw-rw-");

    Evaluation evaluation = host.evaluate();

    assertThat(summary(evaluation)).containsExactly("crio-socket-permissions high");
    assertThat(of(evaluation, PostureCheck.CRIO_SOCKET_PERMISSIONS).get(0).evidence())
        .anySatisfy(e -> assertThat(e).contains("10-listen.conf"));
  }
}
