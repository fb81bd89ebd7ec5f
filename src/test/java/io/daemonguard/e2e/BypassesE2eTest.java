package io.daemonguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bypasses found in this very cluster, closed: host root through /proc, Windows spellings, and a namespace
 * exemption granted by whoever may label namespaces. A user who may patch namespaces (and create pods) but is not an
 * exemption admin is impersonated by the admin client.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BypassesE2eTest {

  private static final String LABELER = "dg-e2e-labeler";
  private static final String ROLE = "dg-e2e-namespace-labeler";
  private static final String EXEMPT = "daemonguard.io/exempt";

  private E2eCluster cluster;
  private KubernetesClient labeler;
  private String ns;

  @BeforeAll
  void setUp() throws Exception {
    cluster = new E2eCluster();
    ns = cluster.newNamespace("dg-e2e-bypass");
    // may create, patch and label namespaces and create pods: all a self-granted exemption would need
    cluster.client.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName(ROLE)
            .addToLabels("daemonguard.io/e2e", "true").endMetadata()
            .addNewRule().withApiGroups("").withResources("namespaces")
            .withVerbs("get", "list", "watch", "create", "patch", "update").endRule()
            .addNewRule().withApiGroups("").withResources("pods").withVerbs("get", "list", "create", "delete").endRule()
            .build())
        .createOr(r -> r.update());
    cluster.client.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
            .withName(ROLE).addToLabels("daemonguard.io/e2e", "true").endMetadata()
            .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(ROLE)
            .endRoleRef()
            .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(LABELER).endSubject()
            .build())
        .createOr(r -> r.update());
    labeler = cluster.impersonating(LABELER, "system:authenticated");
  }

  @AfterAll
  void tearDown() {
    if (cluster != null) {
      cluster.deleteNamespace(ns);
      cluster.client.rbac().clusterRoleBindings().withName(ROLE).delete();
      cluster.client.rbac().clusterRoles().withName(ROLE).delete();
      cluster.client.namespaces().withLabel("daemonguard.io/e2e-self-exempt", "true").delete();
      if (labeler != null) {
        labeler.close();
      }
      cluster.client.close();
    }
  }

  private static Pod hostPathPod(String name, String path) {
    return new PodBuilder().withNewMetadata().withName(name).endMetadata().withSpec(new PodSpecBuilder()
            .addNewVolume().withName("host").withNewHostPath().withPath(path).endHostPath().endVolume()
            .addToContainers(new ContainerBuilder().withName("app").withImage(E2eCluster.PAUSE_IMAGE)
                .withImagePullPolicy("IfNotPresent")
                .addNewVolumeMount().withName("host").withMountPath("/host").withReadOnly(true).endVolumeMount()
                .build())
            .build())
        .build();
  }

  private static void assertRefusedBy(String webhook, Runnable call, String... expected) {
    assertThatThrownBy(call::run)
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(e.getMessage())
            .contains("admission webhook \"" + webhook + "\" denied the request", "daemonguard:")
            .contains(expected));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // the spelling that listed the node's whole root filesystem, /run/docker.sock included, before the fix
      "/proc/self/root              | [host-root-mount] spec.volumes[0].hostPath.path",
      "/proc/1/root                 | [host-root-mount] spec.volumes[0].hostPath.path",
      "/proc/thread-self/root       | [host-root-mount] spec.volumes[0].hostPath.path",
      "/proc/1/cwd                  | [host-root-mount] spec.volumes[0].hostPath.path",
      "/proc/1/root/run/docker.sock | [runtime-socket-mount] spec.volumes[0].hostPath.path",
      "/proc/self/root/var/run      | [runtime-socket-mount] spec.volumes[0].hostPath.path",
      "C:\\                         | [host-root-mount] spec.volumes[0].hostPath.path",
      "\\\\.\\pipe\\docker_engine   | [runtime-socket-mount] spec.volumes[0].hostPath.path",
      "\\\\.\\pipe\\containerd-containerd | [runtime-socket-mount] spec.volumes[0].hostPath.path",
  })
  void bypassSpellingsAreRefused(String path, String expected) {
    String name = "bypass-" + Integer.toHexString(path.hashCode());
    assertRefusedBy(E2eCluster.WEBHOOK_NAME,
        () -> cluster.client.pods().inNamespace(ns).resource(hostPathPod(name, path)).create(), expected);
    assertThat(cluster.client.pods().inNamespace(ns).withName(name).get()).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/proc", "/proc/self/root/var/log", "C:\\data", "\\\\.\\pipe\\my-app"})
  void neighboursAreAdmitted(String path) {
    String name = "neighbour-" + Integer.toHexString(path.hashCode());
    Pod created = cluster.client.pods().inNamespace(ns).resource(hostPathPod(name, path)).create();
    assertThat(created.getMetadata().getUid()).isNotBlank();
    cluster.client.pods().inNamespace(ns).withName(name).withGracePeriod(0).delete();
  }

  private void label(KubernetesClient as, String namespace, UnaryOperator<NamespaceBuilder> change) {
    as.namespaces().withName(namespace).edit(n -> change.apply(new NamespaceBuilder(n)).build());
  }

  @Test
  void aUserWhoMayLabelNamespacesCannotExemptTheirs() {
    // the user may patch namespaces: an ordinary label goes through, so a refusal below is daemonguard's, not RBAC's
    label(labeler, ns, b -> b.editMetadata().addToLabels("team", "a").endMetadata());
    assertThat(cluster.client.namespaces().withName(ns).get().getMetadata().getLabels()).containsEntry("team", "a");

    boolean labelExemption = cluster.minorVersion() < 21;
    if (labelExemption) {
      assertRefusedBy("validate-namespaces.daemonguard.io",
          () -> label(labeler, ns, b -> b.editMetadata().addToLabels(EXEMPT, "true").endMetadata()),
          "daemonguard: Namespace " + ns + ": [exemption-label] user \"" + LABELER + "\" may not add the label "
              + EXEMPT, "spec.admission.exemptions.namespaces");
      assertThat(cluster.client.namespaces().withName(ns).get().getMetadata().getLabels()).doesNotContainKey(EXEMPT);
      assertRefusedBy("validate-namespace-names.daemonguard.io",
          () -> label(labeler, ns, b -> b.editMetadata().addToLabels("kubernetes.io/metadata.name", "kube-system")
              .endMetadata()),
          "may not set the label kubernetes.io/metadata.name to \"kube-system\"");
    } else {
      // from 1.21 the label plays no part: namespaces are exempted by their name alone
      label(labeler, ns, b -> b.editMetadata().addToLabels(EXEMPT, "true").endMetadata());
    }

    // whatever the user tried, their privileged pod is still refused
    assertRefusedBy(E2eCluster.WEBHOOK_NAME,
        () -> labeler.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("privileged")
            .endMetadata().withSpec(new PodSpecBuilder().addToContainers(new ContainerBuilder().withName("app")
                .withImage(E2eCluster.PAUSE_IMAGE).withNewSecurityContext().withPrivileged(true).endSecurityContext()
                .build()).build()).build()).create(),
        "[privileged-container] spec.containers[0].securityContext.privileged");
    if (!labelExemption) {
      label(cluster.client, ns, b -> b.editMetadata().removeFromLabels(EXEMPT).endMetadata());
    }
  }

  @Test
  void norCreateAnExemptNamespaceNorRemoveTheLabelAnAdminSet() {
    if (cluster.minorVersion() >= 21) {
      return; // the guard is registered on 1.20 only, where the label exempts
    }
    String selfExempt = "dg-e2e-self-exempt";
    assertRefusedBy("validate-namespaces.daemonguard.io",
        () -> labeler.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(selfExempt)
            .addToLabels(EXEMPT, "true").addToLabels("daemonguard.io/e2e-self-exempt", "true").endMetadata().build())
            .create(),
        "may not add the label " + EXEMPT);
    assertThat(cluster.client.namespaces().withName(selfExempt).get()).isNull();

    // an administrator (system:masters) may; the user may then neither remove nor change it
    label(cluster.client, ns, b -> b.editMetadata().addToLabels(EXEMPT, "true").endMetadata());
    assertRefusedBy("validate-namespaces.daemonguard.io",
        () -> label(labeler, ns, b -> b.editMetadata().removeFromLabels(EXEMPT).endMetadata()),
        "may not remove the label " + EXEMPT);
    assertRefusedBy("validate-namespaces.daemonguard.io",
        () -> label(labeler, ns, b -> b.editMetadata().addToLabels(EXEMPT, "false").endMetadata()),
        "may not change the label " + EXEMPT);
    // other edits of an exempt namespace still go through
    label(labeler, ns, b -> b.editMetadata().addToLabels("team", "b").endMetadata());
    label(cluster.client, ns, b -> b.editMetadata().removeFromLabels(EXEMPT).endMetadata());
    assertThat(cluster.client.namespaces().withName(ns).get().getMetadata().getLabels())
        .doesNotContainKey(EXEMPT).containsEntry("team", "b");
  }
}
