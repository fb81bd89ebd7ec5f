package io.daemonguard.posture;

import static io.daemonguard.posture.HostFixture.has;
import static io.daemonguard.posture.HostFixture.of;
import static io.daemonguard.posture.HostFixture.outcome;
import static io.daemonguard.posture.HostFixture.summary;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonguard.api.PostureCheck;
import io.daemonguard.api.Severity;
import io.daemonguard.posture.evaluate.CheckOutcome;
import io.daemonguard.posture.evaluate.Evaluation;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Docker's API on TCP: which configuration sources count, TLS semantics, and the live listeners as ground truth. */
class DockerTcpTest {
  @TempDir
  Path dir;
  HostFixture host;

  @BeforeEach
  void host() {
    host = new HostFixture(dir);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-H tcp://0.0.0.0:2375", "--host=tcp://0.0.0.0:2375", "-H=tcp://0.0.0.0:2375",
      "-Htcp://0.0.0.0:2375", "-H :2375", "-H 0.0.0.0:2375", "--host tcp://:2375"})
  void aTcpHostOnTheCommandLineInEverySpellingWithoutTlsIsCritical(String flag) {
    host.dockerd(flag.split(" ")).listen("0.0.0.0", 2375, 5001, 100);

    Evaluation evaluation = host.evaluate();

    assertThat(has(evaluation, PostureCheck.DOCKER_TCP_WITHOUT_TLS, Severity.CRITICAL)).as(summary(evaluation).toString())
        .isTrue();
    assertThat(of(evaluation, PostureCheck.DOCKER_TCP_WITHOUT_TLS).get(0).evidence())
        .anySatisfy(e -> assertThat(e).contains("dockerd (pid 100)"))
        .anySatisfy(e -> assertThat(e).contains("0.0.0.0:2375 held by dockerd (pid 100)"));
    assertThat(evaluation.failed()).isTrue();
  }

  @Test
  void aListenerWhoseHolderCannotBeReadStillCountsAndTheBlindSpotIsSaid() {
    // the scan pod without CAP_SYS_PTRACE: dockerd's /proc/<pid>/fd cannot be read, so no listener has a holder
    host.dockerd("-H", "unix:///var/run/docker.sock", "-H", "tcp://127.0.0.1:2375")
        .listen("127.0.0.1", 2375, 5001);

    Evaluation evaluation = host.evaluate();

    assertThat(has(evaluation, PostureCheck.DOCKER_TCP_WITHOUT_TLS, Severity.CRITICAL)).as(summary(evaluation).toString())
        .isTrue();
    assertThat(of(evaluation, PostureCheck.DOCKER_TCP_WITHOUT_TLS)).filteredOn(f -> !f.unknown()).singleElement()
        .satisfies(f -> assertThat(f.evidence()).anySatisfy(e -> assertThat(e).contains("127.0.0.1:2375 (owner not"
            + " found)")));
    assertThat(of(evaluation, PostureCheck.DOCKER_TCP_WITHOUT_TLS)).filteredOn(f -> f.unknown()).singleElement()
        .satisfies(f -> {
          assertThat(f.message()).contains("CAP_SYS_PTRACE");
          assertThat(f.remediation()).contains("ss -ltnp", "operator.nodeScan.sysPtrace");
        });
  }

  @Test
  void withoutHoldersAndWithoutATcpHostTheCheckIsUnknownNotPassed() {
    host.dockerd("-H", "unix:///var/run/docker.sock").listen("0.0.0.0", 8080, 5001);

    Evaluation evaluation = host.evaluate();

    assertThat(outcome(evaluation, PostureCheck.DOCKER_TCP_WITHOUT_TLS)).isEqualTo(CheckOutcome.UNKNOWN);
  }

  @Test
  void hostsInDaemonJsonCountLikeTheFlag() { // docker-bench-security #213, #231
    host.dockerd().write("/etc/docker/daemon.json",
        "{\"hosts\": [\"unix:///var/run/docker.sock\", \"tcp://0.0.0.0:2375\"]}")
        .listen("0.0.0.0", 2375, 5001, 100);

    Evaluation evaluation = host.evaluate();

    assertThat(summary(evaluation)).contains("docker-tcp-without-tls critical");
    assertThat(of(evaluation, PostureCheck.DOCKER_TCP_WITHOUT_TLS).get(0).evidence())
        .anySatisfy(e -> assertThat(e).contains("hosts in /etc/docker/daemon.json"));
  }

  @Test
  void tlsSplitBetweenASystemdDropInAndDaemonJsonIsJudgedWhole() { // docker-bench-security #295
    host.write("/lib/systemd/system/docker.service",
            "[Service]\nExecStart=/usr/bin/dockerd -H fd://\n")
        .write("/etc/systemd/system/docker.service.d/tcp.conf",
            "[Service]\nExecStart=\nExecStart=/usr/bin/dockerd -H unix:///var/run/docker.sock -H tcp://0.0.0.0:2376\n")
        .write("/etc/docker/daemon.json", "{\"tlsverify\": true, \"tlscacert\": \"/etc/docker/ca.pem\","
            + " \"tlscert\": \"/etc/docker/cert.pem\", \"tlskey\": \"/etc/docker/key.pem\"}")
        .chmod("/etc/docker/daemon.json", "rw-r--r--")
        .process(100, "dockerd", 0, "/usr/bin/dockerd", "-H", "unix:///var/run/docker.sock", "-H",
            "tcp://0.0.0.0:2376")
        .socket("/var/run/docker.sock", 0, 998, "rw-rw----")
        .listen("::", 2376, 5001, 100);

    Evaluation evaluation = host.evaluate();

    assertThat(outcome(evaluation, PostureCheck.DOCKER_TCP_WITHOUT_TLS)).isEqualTo(CheckOutcome.PASS);
    assertThat(outcome(evaluation, PostureCheck.DOCKER_TCP_WITHOUT_CLIENT_VERIFY)).isEqualTo(CheckOutcome.PASS);
    assertThat(host.facts().docker().tlsVerify()).isTrue();
  }

  @Test
  void aDropInsExecStartReplacesTheUnitsWhenDockerdIsNotRunning() {
    host.write("/lib/systemd/system/docker.service", "[Service]\nExecStart=/usr/bin/dockerd -H fd://\n")
        .write("/etc/systemd/system/docker.service.d/override.conf",
            "[Service]\nExecStart=\nExecStart=/usr/bin/dockerd \\\n  -H tcp://0.0.0.0:2375\n");

    NodeFacts facts = host.facts();
    Evaluation evaluation = host.evaluate();

    assertThat(facts.docker().endpoints()).extracting(Endpoint::address).containsExactly("tcp://0.0.0.0:2375");
    assertThat(facts.docker().endpoints().get(0).live()).isFalse();
    // configured but not listening: said, at info, and not a failure
    assertThat(summary(evaluation)).contains("docker-tcp-without-tls info");
    assertThat(of(evaluation, PostureCheck.DOCKER_TCP_WITHOUT_TLS).get(0).message())
        .contains("no socket listens").contains("without TLS");
    assertThat(evaluation.failed()).isFalse();
  }

  @Test
  void aSyslogAddressOnTcpIsNoApiListener() { // docker-bench-security #498
    host.dockerd("--log-driver", "syslog", "--log-opt", "syslog-address=tcp://192.168.0.42:514")
        .write("/etc/docker/daemon.json", "{\"log-driver\": \"syslog\","
            + " \"log-opts\": {\"syslog-address\": \"tcp://192.168.0.42:514\"}}")
        .chmod("/etc/docker/daemon.json", "rw-r--r--")
        .established("10.0.0.5", 40000, 5002, 100);

    Evaluation evaluation = host.evaluate();

    assertThat(host.facts().docker().endpoints()).extracting(Endpoint::address)
        .containsExactly("unix:///var/run/docker.sock");
    assertThat(of(evaluation, PostureCheck.DOCKER_TCP_WITHOUT_TLS)).isEmpty();
    assertThat(outcome(evaluation, PostureCheck.DOCKER_TCP_WITHOUT_TLS)).isEqualTo(CheckOutcome.PASS);
  }

  @Test
  void tlsWithoutTlsverifyIsHighNotCritical() {
    host.dockerd("-H", "tcp://0.0.0.0:2376", "--tls", "--tlscert=/c.pem", "--tlskey=/k.pem")
        .listen("0.0.0.0", 2376, 5001, 100);

    assertThat(summary(host.evaluate())).contains("docker-tcp-without-client-verify high")
        .doesNotContain("docker-tcp-without-tls critical");
  }

  @Test
  void tlsverifyTrueImpliesTls() {
    host.dockerd("-H", "tcp://0.0.0.0:2376", "--tlsverify", "--tlscacert=/ca.pem").listen("0.0.0.0", 2376, 5001, 100);

    NodeFacts facts = host.facts();

    assertThat(facts.docker().tls()).isTrue();
    assertThat(facts.docker().tlsVerify()).isTrue();
    assertThat(of(host.evaluate(), PostureCheck.DOCKER_TCP_WITHOUT_CLIENT_VERIFY)).isEmpty();
  }

  @Test
  void tlsverifyFalseInDaemonJsonWithTlsIsTlsWithoutClientVerification() {
    host.dockerd("-H", "tcp://0.0.0.0:2376").listen("0.0.0.0", 2376, 5001, 100)
        .write("/etc/docker/daemon.json", "{\"tls\": true, \"tlsverify\": false}")
        .chmod("/etc/docker/daemon.json", "rw-r--r--");

    assertThat(summary(host.evaluate())).contains("docker-tcp-without-client-verify high")
        .doesNotContain("docker-tcp-without-tls critical");
  }

  @Test
  void aBooleanFlagDoesNotSwallowTheNextArgument() {
    host.dockerd("--tlsverify", "tcp://not-a-value", "-H", "tcp://0.0.0.0:2376").listen("0.0.0.0", 2376, 5001, 100);

    assertThat(host.facts().docker().tlsVerify()).isTrue();
    assertThat(host.facts().docker().endpoints()).extracting(Endpoint::address).contains("tcp://0.0.0.0:2376");
  }

  @Test
  void aSocketActivatedTcpListenerHeldOnlyBySystemdStillCounts() {
    host.write("/lib/systemd/system/docker.socket",
            "[Socket]\nListenStream=/run/docker.sock\nListenStream=2375\nSocketMode=0660\nSocketGroup=docker\n")
        .write("/lib/systemd/system/docker.service", "[Service]\nExecStart=/usr/bin/dockerd -H fd://\n")
        .socket("/run/docker.sock", 0, 998, "rw-rw----")
        .listen("::", 2375, 5001, 1);

    Evaluation evaluation = host.evaluate();

    assertThat(summary(evaluation)).contains("docker-tcp-without-tls critical");
    assertThat(of(evaluation, PostureCheck.DOCKER_TCP_WITHOUT_TLS).get(0).evidence())
        .anySatisfy(e -> assertThat(e).contains("systemd (pid 1)"))
        .anySatisfy(e -> assertThat(e).contains("ListenStream of docker.socket"));
  }

  @Test
  void aLiveListenerOfDockerdThatNoConfigurationNamesIsStillJudged() {
    host.dockerd().listen("0.0.0.0", 2375, 5001, 100);

    Evaluation evaluation = host.evaluate();

    assertThat(summary(evaluation)).contains("docker-tcp-without-tls critical");
    assertThat(of(evaluation, PostureCheck.DOCKER_TCP_WITHOUT_TLS).get(0).evidence())
        .anySatisfy(e -> assertThat(e).contains("no configuration read names"));
  }

  @Test
  void aListenerOfAnotherProcessOnTheSamePortIsNotDockers() {
    host.dockerd("-H", "tcp://0.0.0.0:2375").process(300, "nginx", 33, "nginx").listen("0.0.0.0", 2375, 5001, 300);

    Evaluation evaluation = host.evaluate();

    assertThat(summary(evaluation)).containsExactly("docker-userns-remap-disabled medium",
        "docker-tcp-without-tls info");
  }

  @Test
  void onlyListenStateCounts() {
    host.dockerd().established("0.0.0.0", 2375, 5001, 100);

    assertThat(host.facts().listeners()).isEmpty();
    assertThat(of(host.evaluate(), PostureCheck.DOCKER_TCP_WITHOUT_TLS)).isEmpty();
  }

  @Test
  void malformedDaemonJsonMakesTlsUnknownNeverAPass() {
    host.dockerd("-H", "tcp://0.0.0.0:2376").listen("0.0.0.0", 2376, 5001, 100)
        .write("/etc/docker/daemon.json", "{\"tlsverify\": true,,}")
        .chmod("/etc/docker/daemon.json", "rw-r--r--");

    Evaluation evaluation = host.evaluate();

    assertThat(outcome(evaluation, PostureCheck.DOCKER_TCP_WITHOUT_TLS)).isEqualTo(CheckOutcome.UNKNOWN);
    assertThat(outcome(evaluation, PostureCheck.DOCKER_USERNS_REMAP_DISABLED)).isEqualTo(CheckOutcome.UNKNOWN);
    assertThat(of(evaluation, PostureCheck.DOCKER_TCP_WITHOUT_TLS).get(0).message())
        .startsWith("could not be judged").contains("malformed JSON").contains("line 1");
  }

  @Test
  void tcpListenersUnreadableMakeTcpLivenessUnknownAndStillJudgeConfiguration() {
    host.dockerd("-H", "tcp://0.0.0.0:2375").delete("/proc/1/net/tcp").dir("/proc/1/net/tcp");

    NodeFacts facts = host.facts();
    Evaluation evaluation = host.evaluate();

    assertThat(facts.unknown()).anySatisfy(u -> assertThat(u.reason()).contains("is a directory"));
    assertThat(facts.docker().endpoints().get(0).live()).isNull();
    assertThat(summary(evaluation)).contains("docker-tcp-without-tls critical");
  }
}
