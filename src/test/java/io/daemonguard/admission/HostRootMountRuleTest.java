package io.daemonguard.admission;

import static io.daemonguard.admission.Fixtures.evaluateHostPath;
import static io.daemonguard.admission.Fixtures.summary;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostRootMountRuleTest {

  private static final String PATH = "spec.volumes[0].hostPath.path";

  @ParameterizedTest(name = "hostPath \"{0}\" is the host root")
  @ValueSource(strings = {"/", "//", "///", "/.", "/./", "/..", "/../", "/../..", "///.//", "/var/..", "/tmp/../..",
      "/var/run/../..", "/./var/../.", ""})
  void everySpellingOfTheRootIsDenied(String hostPath) {
    Decision decision = evaluateHostPath(hostPath);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.action()).isEqualTo(Action.ENFORCE);
    // "/" also holds every runtime socket: both rules object, on the same field, naming the mounting container
    assertThat(summary(decision)).containsExactly(
        "host-root-mount " + PATH + " app",
        "runtime-socket-mount " + PATH + " app");
    Violation root = decision.violations().get(0);
    assertThat(root.message()).contains("volume \"host\"", "root filesystem", "\"" + hostPath + "\"");
    assertThat(decision.violations().get(0).policies()).containsExactly(AdmissionPolicy.DEFAULT_NAME);
  }

  @ParameterizedTest(name = "hostPath \"{0}\" is not the host root")
  @ValueSource(strings = {"/data", "/root", "/tmp", "/mnt/disks/ssd1", "/etc/ssl/certs", "/.root", "/..data", "/x/../y"})
  void neighboursOfTheRootPass(String hostPath) {
    assertThat(evaluateHostPath(hostPath)).isEqualTo(Decision.CLEAN);
  }

  @ParameterizedTest(name = "hostPath \"{0}\" is not the root but holds the runtime socket")
  @ValueSource(strings = {"/var", "/var/", "/var//.", "/var/lib/.."})
  void varIsNotTheRootButHoldsTheSocket(String hostPath) {
    assertThat(summary(evaluateHostPath(hostPath))).containsExactly("runtime-socket-mount " + PATH + " app");
  }

  @Test
  void checksEveryHostVolumeAndNamesNoContainerWhenNoneMountsIt() {
    Workload workload = new Workload("Pod", "team-a", "web", null,
        List.of(new Workload.Container("app", "nginx", "spec.containers[0]", false, List.of("b"))),
        List.of(new Workload.HostVolume("a", "/data", "spec.volumes[0].hostPath.path"),
            new Workload.HostVolume("b", "//", "spec.volumes[1].hostPath.path"),
            new Workload.HostVolume("c", "/.", "spec.volumes[2].hostPath.path"),
            new Workload.HostVolume(null, "/", "spec.local.path")));
    List<Violation> out = new ArrayList<>();

    new HostRootMountRule().check(workload, Fixtures.DEFAULT, out);

    assertThat(out).extracting(Violation::rule).containsOnly(RuleId.HOST_ROOT_MOUNT);
    assertThat(out).extracting(Violation::path, Violation::containers).containsExactly(
        org.assertj.core.groups.Tuple.tuple("spec.volumes[1].hostPath.path", List.of("app")),
        org.assertj.core.groups.Tuple.tuple("spec.volumes[2].hostPath.path", List.of()),
        org.assertj.core.groups.Tuple.tuple("spec.local.path", List.of()));
    assertThat(out.get(2).message()).startsWith("host volume mounts the host's root filesystem");
  }
}
