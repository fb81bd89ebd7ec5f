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

/** docker.sock's and daemon.json's owners and modes, user namespaces, rootless Docker, and a node without Docker. */
class DockerFilesTest {
  @TempDir
  Path dir;
  HostFixture host;

  @BeforeEach
  void host() {
    host = new HostFixture(dir);
  }

  @Test
  void aSocketOfRootDocker0660WithUsernsRemapAndASafeDaemonJsonHasNoFinding() {
    host.dockerd().write("/etc/docker/daemon.json", "{\"userns-remap\": \"default\"}")
        .chmod("/etc/docker/daemon.json", "rw-r--r--");

    Evaluation evaluation = host.evaluate();

    assertThat(summary(evaluation)).isEmpty();
    assertThat(outcome(evaluation, PostureCheck.DOCKER_SOCKET_PERMISSIONS)).isEqualTo(CheckOutcome.PASS);
    assertThat(outcome(evaluation, PostureCheck.DOCKER_USERNS_REMAP_DISABLED)).isEqualTo(CheckOutcome.PASS);
  }

  @Test
  void aWorldWritableSocketIsHigh() {
    host.dockerd("--userns-remap=default").chmod("/var/run/docker.sock", "rw-rw-rw-");

    Evaluation evaluation = host.evaluate();

    assertThat(summary(evaluation)).containsExactly("docker-socket-permissions high");
    assertThat(of(evaluation, PostureCheck.DOCKER_SOCKET_PERMISSIONS).get(0).message()).contains("0666");
    assertThat(of(evaluation, PostureCheck.DOCKER_SOCKET_PERMISSIONS).get(0).cis()).isEqualTo("CIS Docker 3.16");
  }

  @Test
  void aSocketOwnedByAUserIsHighAndNamedWithTheHostsNames() {
    host.dockerd("--userns-remap=default").chown("/var/run/docker.sock", 1000, 1000);

    Evaluation evaluation = host.evaluate();

    assertThat(summary(evaluation)).containsExactly("docker-socket-ownership high");
    assertThat(of(evaluation, PostureCheck.DOCKER_SOCKET_OWNERSHIP).get(0).message()).contains("alice:alice 0660");
  }

  @Test
  void aSocketBehindADanglingLinkIsUnknown() {
    host.process(100, "dockerd", 0, "/usr/bin/dockerd", "--userns-remap=default")
        .symlink("/var/run/docker.sock", "/nowhere/docker.sock");

    Evaluation evaluation = host.evaluate();

    assertThat(outcome(evaluation, PostureCheck.DOCKER_SOCKET_PERMISSIONS)).isEqualTo(CheckOutcome.UNKNOWN);
    assertThat(outcome(evaluation, PostureCheck.DOCKER_SOCKET_OWNERSHIP)).isEqualTo(CheckOutcome.UNKNOWN);
  }

  @Test
  void linksOnTheHostAreFollowedInsideTheHostRoot() {
    // the host's /var/run -> /run, absolute: it must lead to <root>/run, not to the scanner's /run
    host.process(100, "dockerd", 0, "dockerd").socket("/run/docker.sock", 0, 998, "rw-rw----")
        .symlink("/var/run", "/run");

    NodeFacts facts = host.facts();

    assertThat(facts.docker().sockets().get(0).exists()).isTrue();
    assertThat(facts.docker().sockets().get(0).group()).isEqualTo("docker");
  }

  @Test
  void usernsRemapOffIsMedium() {
    host.dockerd();

    assertThat(summary(host.evaluate())).containsExactly("docker-userns-remap-disabled medium");
  }

  @Test
  void aRootlessDaemonIsNotUsernsDisabledAndOwnsItsSocket() {
    host.process(200, "dockerd", 1000, "dockerd")
        .socket("/run/user/1000/docker.sock", 1000, 1000, "rw-rw----");

    NodeFacts facts = host.facts();
    Evaluation evaluation = host.evaluate();

    assertThat(facts.docker().rootless()).isTrue();
    assertThat(facts.docker().sockets()).extracting(FileFact::path).contains("/run/user/1000/docker.sock");
    assertThat(summary(evaluation)).isEmpty();
    assertThat(outcome(evaluation, PostureCheck.DOCKER_USERNS_REMAP_DISABLED)).isEqualTo(CheckOutcome.PASS);
  }

  @Test
  void daemonJsonWritableByOthersIsMedium() {
    host.dockerd("--userns-remap=default").write("/etc/docker/daemon.json", "{}")
        .chmod("/etc/docker/daemon.json", "rw-rw-rw-");

    Evaluation evaluation = host.evaluate();

    assertThat(summary(evaluation)).containsExactly("docker-daemon-json-permissions medium");
    assertThat(of(evaluation, PostureCheck.DOCKER_DAEMON_JSON_PERMISSIONS).get(0).message())
        .contains("root:root 0666");
  }

  @Test
  void daemonJsonNotOwnedByRootIsMedium() {
    host.dockerd("--userns-remap=default").write("/etc/docker/daemon.json", "{}")
        .chmod("/etc/docker/daemon.json", "rw-r--r--").chown("/etc/docker/daemon.json", 1000, 0);

    assertThat(summary(host.evaluate())).containsExactly("docker-daemon-json-permissions medium");
  }

  @Test
  void aDirectoryWhereDaemonJsonShouldBeIsUnknownNotAPass() {
    host.dockerd().dir("/etc/docker/daemon.json");

    Evaluation evaluation = host.evaluate();

    assertThat(outcome(evaluation, PostureCheck.DOCKER_USERNS_REMAP_DISABLED)).isEqualTo(CheckOutcome.UNKNOWN);
    assertThat(of(evaluation, PostureCheck.DOCKER_USERNS_REMAP_DISABLED).get(0).message())
        .contains("is a directory");
  }

  @Test
  void theConfigFileFlagIsFollowed() {
    host.dockerd("--config-file", "/opt/docker.json").write("/opt/docker.json", "{\"userns-remap\": \"default\"}")
        .chmod("/opt/docker.json", "rw-------");

    NodeFacts facts = host.facts();

    assertThat(facts.docker().usernsRemap()).isTrue();
    assertThat(facts.docker().daemonJson().path()).isEqualTo("/opt/docker.json");
  }

  @Test
  void aNodeWithoutDockerHasNoDockerFindingsAndNoErrors() {
    NodeFacts facts = host.facts();
    Evaluation evaluation = host.evaluate();

    assertThat(facts.docker()).isNull();
    assertThat(facts.unknown()).isEmpty();
    assertThat(evaluation.findings()).isEmpty();
    assertThat(outcome(evaluation, PostureCheck.DOCKER_SOCKET_PERMISSIONS)).isEqualTo(CheckOutcome.NOT_APPLICABLE);
  }

  @Test
  void aVanishedProcessIsSkippedWithoutACrash() {
    host.dockerd().delete("/proc/100/cmdline").delete("/proc/100/status")
        .process(101, "dockerd", 0, "dockerd").delete("/proc/101/comm");

    NodeFacts facts = host.facts();

    assertThat(facts.docker().process()).isNull();
    assertThat(facts.docker().sockets()).isNotEmpty(); // the socket that stays is still judged
  }

  @Test
  void aHostRootWithoutProcIsUnknownForEveryCheck() {
    host.delete("/proc/1/net/tcp").delete("/proc/1/net/tcp6").delete("/proc/1/net/unix");
    try (var walk = java.nio.file.Files.walk(host.path("/proc"))) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }

    Evaluation evaluation = host.evaluate();

    assertThat(evaluation.checks()).allSatisfy(c -> assertThat(c.outcome()).isEqualTo(CheckOutcome.UNKNOWN));
  }
}
