package io.daemonguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonguard.admission.Action;
import io.daemonguard.admission.RuleId;
import io.daemonguard.admission.Violation;
import io.daemonguard.admission.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViolationTextTest {

  @Test
  void theLineOfAViolation() {
    Violation violation = Violation.found(RuleId.RUNTIME_SOCKET_MOUNT, "volume \"d\" mounts a socket",
        "spec.volumes[2].hostPath.path", List.of("a")).judged(Action.ENFORCE, List.of("p1", "p2"));

    assertThat(ViolationText.line(violation))
        .isEqualTo("[runtime-socket-mount] spec.volumes[2].hostPath.path: volume \"d\" mounts a socket (policy p1, p2)");
  }

  @Test
  void theContainersAreCommaSeparatedOrNull() {
    Violation two = Violation.found(RuleId.HOST_ROOT_MOUNT, "m", "p", List.of("a", "b"));
    Violation none = Violation.found(RuleId.HOST_ROOT_MOUNT, "m", "p", List.of());

    assertThat(ViolationText.containers(two)).isEqualTo("a,b");
    assertThat(ViolationText.containers(none)).isNull();
  }

  @Test
  void theSubjectNamesKindNamespaceAndName() {
    assertThat(ViolationText.subject(new Workload("Pod", "team-a", "web", null, List.of(), List.of())))
        .isEqualTo("Pod team-a/web");
    assertThat(ViolationText.subject(new Workload("PersistentVolume", null, "pv", null, List.of(), List.of())))
        .isEqualTo("PersistentVolume pv");
    assertThat(ViolationText.subject(new Workload("Pod", "team-a", null, null, List.of(), List.of())))
        .isEqualTo("Pod");
    assertThat(ViolationText.subject(new Workload("", null, null, null, List.of(), List.of())))
        .isEqualTo("object");
  }
}
