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

/** The kubelet: insecure flag defaults, safe config-file defaults, a flag over the file, and the live port. */
class KubeletTest {
  static final String SAFE = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
      + "readOnlyPort: 0\nauthentication:\n  anonymous:\n    enabled: false\nauthorization:\n  mode: Webhook\n";

  @TempDir
  Path dir;
  HostFixture host;

  @BeforeEach
  void host() {
    host = new HostFixture(dir);
  }

  @Test
  void aSafeConfigFileHasNoFinding() {
    host.process(70, "kubelet", 0, "kubelet", "--config=/var/lib/kubelet/config.yaml")
        .write("/var/lib/kubelet/config.yaml", SAFE);

    Evaluation evaluation = host.evaluate();

    assertThat(summary(evaluation)).isEmpty();
    assertThat(outcome(evaluation, PostureCheck.KUBELET_ANONYMOUS_AUTH)).isEqualTo(CheckOutcome.PASS);
    assertThat(outcome(evaluation, PostureCheck.KUBELET_READONLY_PORT)).isEqualTo(CheckOutcome.PASS);
  }

  @Test
  void aConfigFileThatSetsNothingGetsTheSafeFileDefaults() {
    host.process(70, "kubelet", 0, "kubelet", "--config", "/k.yaml")
        .write("/k.yaml", "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n");

    assertThat(summary(host.evaluate())).isEmpty();
  }

  @Test
  void withoutAConfigFileTheFlagDefaultsAreInsecure() {
    host.process(70, "kubelet", 0, "kubelet", "--kubeconfig", "/k").listen("0.0.0.0", 10255, 8001, 70);

    Evaluation evaluation = host.evaluate();

    assertThat(summary(evaluation)).containsExactly("kubelet-anonymous-auth critical", "kubelet-readonly-port medium");
    assertThat(of(evaluation, PostureCheck.KUBELET_ANONYMOUS_AUTH).get(0).evidence())
        .anySatisfy(e -> assertThat(e).contains("flag default"));
  }

  @Test
  void aFlagOverridesTheFile() {
    host.process(70, "kubelet", 0, "kubelet", "--config=/k.yaml", "--anonymous-auth=true", "--read-only-port=10255")
        .write("/k.yaml", SAFE).listen("0.0.0.0", 10255, 8001, 70);

    assertThat(summary(host.evaluate())).containsExactly("kubelet-anonymous-auth high", "kubelet-readonly-port medium");
  }

  @Test
  void aReadOnlyPortConfiguredButNotListeningIsInfo() {
    host.process(70, "kubelet", 0, "kubelet", "--config=/k.yaml").write("/k.yaml", SAFE.replace("readOnlyPort: 0",
        "readOnlyPort: 10255"));

    Evaluation evaluation = host.evaluate();

    assertThat(summary(evaluation)).containsExactly("kubelet-readonly-port info");
    assertThat(evaluation.failed()).isFalse();
  }

  @Test
  void malformedYamlIsUnknownForBothChecks() {
    host.process(70, "kubelet", 0, "kubelet", "--config=/k.yaml").write("/k.yaml", "authentication: [unclosed\n");

    Evaluation evaluation = host.evaluate();

    assertThat(outcome(evaluation, PostureCheck.KUBELET_ANONYMOUS_AUTH)).isEqualTo(CheckOutcome.UNKNOWN);
    assertThat(outcome(evaluation, PostureCheck.KUBELET_READONLY_PORT)).isEqualTo(CheckOutcome.UNKNOWN);
    assertThat(of(evaluation, PostureCheck.KUBELET_ANONYMOUS_AUTH).get(0).message()).contains("malformed YAML");
  }

  @Test
  void aMissingConfigFileIsUnknownButAFlagStillDecides() {
    host.process(70, "kubelet", 0, "kubelet", "--config=/gone.yaml", "--anonymous-auth=false");

    Evaluation evaluation = host.evaluate();

    assertThat(outcome(evaluation, PostureCheck.KUBELET_ANONYMOUS_AUTH)).isEqualTo(CheckOutcome.PASS);
    assertThat(outcome(evaluation, PostureCheck.KUBELET_READONLY_PORT)).isEqualTo(CheckOutcome.UNKNOWN);
  }
}
