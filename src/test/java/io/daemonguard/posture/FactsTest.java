package io.daemonguard.posture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.daemonguard.api.NodePostureSpec;
import io.daemonguard.api.PostureCheck;
import io.daemonguard.api.Severity;
import io.daemonguard.posture.collect.HostRoot;
import io.daemonguard.posture.collect.LoopbackProbe;
import io.daemonguard.posture.evaluate.CheckOutcome;
import io.daemonguard.posture.evaluate.Evaluation;
import io.daemonguard.posture.evaluate.PostureEvaluator;
import io.daemonguard.posture.evaluate.PosturePolicy;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The facts as JSON (what the scan Job will store), the policy, listeners' addresses, and the probe's one rule. */
class FactsTest {
  @TempDir
  Path dir;

  @Test
  void factsSurviveJsonAndAreJudgedAlikeAfterwards() throws Exception {
    HostFixture host = new HostFixture(dir).dockerd("-H", "tcp://0.0.0.0:2375").listen("0.0.0.0", 2375, 5001, 100)
        .write("/etc/docker/daemon.json", "{bad").process(70, "kubelet", 0, "kubelet");
    NodeFacts facts = host.facts();
    ObjectMapper json = new ObjectMapper();

    NodeFacts back = json.readValue(json.writeValueAsString(facts), NodeFacts.class);

    assertThat(back).isEqualTo(facts);
    assertThat(PostureEvaluator.evaluate(back, PosturePolicy.defaults()))
        .isEqualTo(PostureEvaluator.evaluate(facts, PosturePolicy.defaults()));
  }

  @Test
  void thePolicyDisablesChecksAndMovesTheThreshold() {
    HostFixture host = new HostFixture(dir).dockerd().chmod("/var/run/docker.sock", "rw-rw-rw-");
    NodeFacts facts = host.facts();
    NodePostureSpec spec = new NodePostureSpec();
    spec.setFailOn("critical");
    spec.setDisabledChecks(List.of("docker-userns-remap-disabled"));

    Evaluation evaluation = PostureEvaluator.evaluate(facts, PosturePolicy.of(spec));

    assertThat(HostFixture.summary(evaluation)).containsExactly("docker-socket-permissions high");
    assertThat(evaluation.failed()).isFalse();
    assertThat(HostFixture.outcome(evaluation, PostureCheck.DOCKER_USERNS_REMAP_DISABLED))
        .isEqualTo(CheckOutcome.DISABLED);
    assertThat(PostureEvaluator.evaluate(facts, new PosturePolicy(Severity.HIGH, Set.of())).failed()).isTrue();
  }

  @Test
  void listenersAreReadFromTcpAndTcp6AndMappedToTheirHolders() {
    HostFixture host = new HostFixture(dir).process(5, "sshd", 0, "sshd").listen("127.0.0.1", 22, 9001, 5)
        .listen("::", 2376, 9002).listen("::1", 9000, 9003, 5);

    List<ListenerFact> listeners = host.facts().listeners();

    assertThat(listeners).extracting(ListenerFact::describe).containsExactly("127.0.0.1:22 held by sshd (pid 5)",
        "[::]:2376 (owner not found)", "[::1]:9000 held by sshd (pid 5)");
  }

  @Test
  void processesInAnotherNetworkNamespaceAreNotSearchedForHolders() {
    HostFixture host = new HostFixture(dir).symlink("/proc/1/ns/net", "net:[4026531840]")
        .process(5, "sshd", 0, "sshd").symlink("/proc/5/ns/net", "net:[4026531840]")
        .process(6, "pod-app", 0, "app").symlink("/proc/6/ns/net", "net:[4026532999]")
        .listen("0.0.0.0", 22, 9001, 5).listen("0.0.0.0", 8080, 9002, 6);

    assertThat(host.facts().listeners()).extracting(ListenerFact::describe)
        .containsExactly("0.0.0.0:22 held by sshd (pid 5)", "0.0.0.0:8080 (owner not found)");
  }

  @Test
  void hostPathsResolveLinksInsideTheRootAndNeverAbove() {
    HostFixture host = new HostFixture(dir).write("/etc/real.json", "{}").symlink("/etc/link.json", "/etc/real.json")
        .symlink("/etc/up.json", "../../../../../etc/real.json");
    HostRoot root = new HostRoot(dir);

    assertThat(root.path("/etc/link.json")).isEqualTo(dir.resolve("etc/real.json"));
    assertThat(root.path("/etc/up.json")).isEqualTo(dir.resolve("etc/real.json"));
    assertThat(root.path("/../../etc/passwd")).isEqualTo(dir.resolve("etc/passwd"));
  }

  @Test
  void theProbeRefusesEveryAddressButLoopback() throws Exception {
    assertThatThrownBy(() -> LoopbackProbe.loopbackOnly(InetAddress.getByName("10.0.0.1"), 2375))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback only");
    assertThatThrownBy(() -> LoopbackProbe.loopbackOnly(InetAddress.getByName("0.0.0.0"), 2375))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(LoopbackProbe.loopbackOnly(InetAddress.getByName("127.0.0.1"), 2375).getPort()).isEqualTo(2375);
    assertThat(LoopbackProbe.loopbackOnly(InetAddress.getByName("::1"), 2375).getAddress().isLoopbackAddress())
        .isTrue();
  }
}
