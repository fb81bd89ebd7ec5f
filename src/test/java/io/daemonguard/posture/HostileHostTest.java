package io.daemonguard.posture;

import static io.daemonguard.posture.HostFixture.of;
import static io.daemonguard.posture.HostFixture.outcome;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonguard.api.PostureCheck;
import io.daemonguard.posture.evaluate.CheckOutcome;
import io.daemonguard.posture.evaluate.Evaluation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host roots that are broken or odd: each gives an unknown with its reason, never a crash and never a silent pass. */
class HostileHostTest {
  @TempDir
  Path dir;

  @Test
  void aNetTcpLineTheKernelWouldNotWriteMakesListenersUnknown() {
    HostFixture host = new HostFixture(dir).dockerd("-H", "tcp://0.0.0.0:2375")
        .write("/proc/1/net/tcp", HostFixture.TCP_HEADER + "   0: ZZZZZZZZ:0CEA 00000000:0000 0A 0 0 0 0 0 12 1\n");

    NodeFacts facts = host.facts();

    assertThat(facts.unknown()).anySatisfy(u -> assertThat(u.reason()).contains("a line the kernel would not write"));
    assertThat(facts.docker().endpoints().get(0).live()).isNull();
    assertThat(host.evaluate().failed()).isTrue(); // configured without TLS, and nothing shows it is not listening
  }

  @Test
  void binaryGarbageInProcIsReadWithoutACrash() throws Exception {
    HostFixture host = new HostFixture(dir).dockerd();
    Files.write(host.path("/proc/100/cmdline"), new byte[] {(byte) 0xff, 0, '-', 'H', 0, (byte) 0xc3, 0});
    Files.write(host.path("/proc/100/status"), new byte[] {(byte) 0xfe, 'U', 'i', 'd', ':', '\t', 'x'});
    Files.write(host.path("/proc/1/net/unix"), new byte[] {(byte) 0xff, (byte) 0xfe, '\n'});

    NodeFacts facts = host.facts();

    assertThat(facts.docker().process().uid()).isNull();
    assertThat(facts.unknown()).anySatisfy(u -> assertThat(u.fact()).isEqualTo("unix listeners"));
  }

  @Test
  void aDanglingDaemonJsonIsUnknown() {
    HostFixture host = new HostFixture(dir).dockerd().symlink("/etc/docker/daemon.json", "/gone/daemon.json");

    Evaluation evaluation = host.evaluate();

    assertThat(outcome(evaluation, PostureCheck.DOCKER_USERNS_REMAP_DISABLED)).isEqualTo(CheckOutcome.UNKNOWN);
    assertThat(outcome(evaluation, PostureCheck.DOCKER_DAEMON_JSON_PERMISSIONS)).isEqualTo(CheckOutcome.UNKNOWN);
    assertThat(of(evaluation, PostureCheck.DOCKER_USERNS_REMAP_DISABLED).get(0).message())
        .contains("dangling symbolic link");
  }

  @Test
  void aDanglingContainerdConfigIsUnknown() {
    HostFixture host = new HostFixture(dir).process(50, "containerd", 0, "containerd")
        .symlink("/etc/containerd/config.toml", "/gone.toml");

    Evaluation evaluation = host.evaluate();

    assertThat(outcome(evaluation, PostureCheck.CONTAINERD_TCP_WITHOUT_TLS)).isEqualTo(CheckOutcome.UNKNOWN);
  }

  @Test
  void aKubeletConfigThatIsNotAMappingIsUnknown() {
    HostFixture host = new HostFixture(dir).process(70, "kubelet", 0, "kubelet", "--config=/k.yaml")
        .write("/k.yaml", "- just\n- a list\n");

    Evaluation evaluation = host.evaluate();

    assertThat(outcome(evaluation, PostureCheck.KUBELET_ANONYMOUS_AUTH)).isEqualTo(CheckOutcome.UNKNOWN);
    assertThat(of(evaluation, PostureCheck.KUBELET_ANONYMOUS_AUTH).get(0).message()).contains("no YAML mapping");
  }

  @Test
  void aDaemonJsonThatIsNotAnObjectIsUnknown() {
    HostFixture host = new HostFixture(dir).dockerd().write("/etc/docker/daemon.json", "[1, 2]")
        .chmod("/etc/docker/daemon.json", "rw-r--r--");

    assertThat(outcome(host.evaluate(), PostureCheck.DOCKER_USERNS_REMAP_DISABLED)).isEqualTo(CheckOutcome.UNKNOWN);
  }

  @Test
  void importsThatLoopDoNotHang() {
    HostFixture host = new HostFixture(dir).process(50, "containerd", 0, "containerd")
        .write("/etc/containerd/config.toml", "version = 2\nimports = [\"/etc/containerd/config.toml\"]\n")
        .socket("/run/containerd/containerd.sock", 0, 0, "rw-rw----");

    assertThat(host.evaluate().findings()).isEmpty();
  }
}
