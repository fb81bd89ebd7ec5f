package io.daemonguard.admission;

import static io.daemonguard.admission.Fixtures.DEFAULT;
import static io.daemonguard.admission.Fixtures.evaluate;
import static io.daemonguard.admission.Fixtures.evaluateDefault;
import static io.daemonguard.admission.Fixtures.json;
import static io.daemonguard.admission.Fixtures.read;
import static io.daemonguard.admission.Fixtures.resource;
import static io.daemonguard.admission.Fixtures.summary;
import static io.daemonguard.admission.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WorkloadReaderTest {

  // ---------------------------------------------------------------- every hiding place

  static Stream<Arguments> hidingPlaces() {
    return Stream.of(
        Arguments.of("pod.yaml", "Pod", "spec."),
        Arguments.of("deployment.yaml", "Deployment", "spec.template.spec."),
        Arguments.of("replicaset.yaml", "ReplicaSet", "spec.template.spec."),
        Arguments.of("statefulset.yaml", "StatefulSet", "spec.template.spec."),
        Arguments.of("daemonset.yaml", "DaemonSet", "spec.template.spec."),
        Arguments.of("job.yaml", "Job", "spec.template.spec."),
        Arguments.of("replicationcontroller.yaml", "ReplicationController", "spec.template.spec."),
        Arguments.of("cronjob-batch-v1.yaml", "CronJob", "spec.jobTemplate.spec.template.spec."),
        Arguments.of("cronjob-batch-v1beta1.yaml", "CronJob", "spec.jobTemplate.spec.template.spec."),
        Arguments.of("podtemplate.yaml", "PodTemplate", "template.spec."),
        Arguments.of("rollout.yaml", "Rollout", "spec.template.spec."));
  }

  /**
   * Each manifest carries the same pod spec: hostPath "/" mounted by app, the docker socket mounted by app and
   * sidecar, a harmless /var/log hostPath and a configMap, a privileged sidecar and a privileged init container.
   */
  @ParameterizedTest(name = "{1} ({0}) is read at {2}")
  @MethodSource("hidingPlaces")
  void everyViolationIsFoundAtItsExactField(String file, String kind, String prefix) {
    Workload workload = WorkloadReader.read(resource("hiding/" + file), "ignored");

    assertThat(workload.kind()).isEqualTo(kind);
    assertThat(workload.namespace()).isEqualTo("team-a");
    assertThat(workload.serviceAccount()).isEqualTo("builder");
    assertThat(workload.containers()).extracting(Workload.Container::path).containsExactly(
        prefix + "containers[0]", prefix + "containers[1]", prefix + "initContainers[0]");
    assertThat(workload.containers()).extracting(Workload.Container::name).containsExactly("app", "sidecar", "setup");
    assertThat(workload.containers()).extracting(Workload.Container::image).containsExactly(
        "registry.example.com/team/app:1.4.2", "registry.example.com/team/sidecar:0.9", "busybox:1.36");
    assertThat(workload.containers()).extracting(Workload.Container::privileged).containsExactly(false, true, true);
    assertThat(workload.containers().get(0).volumeMounts()).containsExactly("host-root", "docker", "logs", "config");
    assertThat(workload.hostVolumes()).containsExactly(
        new Workload.HostVolume("host-root", "/", prefix + "volumes[0].hostPath.path"),
        new Workload.HostVolume("docker", "/var/run/docker.sock", prefix + "volumes[1].hostPath.path"),
        new Workload.HostVolume("logs", "/var/log", prefix + "volumes[2].hostPath.path"));

    Decision decision = evaluate(workload, DEFAULT);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.action()).isEqualTo(Action.ENFORCE);
    assertThat(summary(decision)).containsExactlyInAnyOrder(
        "host-root-mount " + prefix + "volumes[0].hostPath.path app",
        "runtime-socket-mount " + prefix + "volumes[0].hostPath.path app",
        "runtime-socket-mount " + prefix + "volumes[1].hostPath.path app,sidecar",
        "privileged-container " + prefix + "containers[1].securityContext.privileged sidecar",
        "privileged-container " + prefix + "initContainers[0].securityContext.privileged setup");
  }

  @Test
  void theSameManifestsAsJsonReadTheSame() throws Exception {
    JsonNode asYaml = resource("hiding/deployment.yaml");
    JsonNode asJson = json(Fixtures.JSON.writeValueAsString(asYaml));
    assertThat(WorkloadReader.read(asJson, "x")).isEqualTo(WorkloadReader.read(asYaml, "x"));
  }

  @Test
  void ephemeralContainersSubresourceOfKubernetes120() {
    Decision decision = evaluateDefault("""
        apiVersion: v1
        kind: EphemeralContainers
        metadata:
          name: web-5d8f7c-abcde
          namespace: team-a
        ephemeralContainers:
        - name: debugger-x7k2p
          image: busybox:1.36
          stdin: true
          tty: true
          targetContainerName: app
          terminationMessagePolicy: File
          securityContext:
            privileged: true
        """);

    assertThat(decision.allowed()).isFalse();
    assertThat(summary(decision)).containsExactly(
        "privileged-container ephemeralContainers[0].securityContext.privileged debugger-x7k2p");
  }

  @Test
  void ephemeralContainersSubresourceWithoutPrivilegeIsClean() {
    assertThat(evaluateDefault("""
        apiVersion: v1
        kind: EphemeralContainers
        metadata: {name: web, namespace: team-a}
        ephemeralContainers:
        - name: debugger
          image: busybox:1.36
          targetContainerName: app
        """)).isEqualTo(Decision.CLEAN);
  }

  @Test
  void podWithEphemeralContainersOfKubernetes122() {
    Decision decision = evaluateDefault("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-5d8f7c-abcde
          namespace: team-a
        spec:
          containers:
          - name: app
            image: nginx:1.27
          ephemeralContainers:
          - name: debugger-old
            image: busybox
            targetContainerName: app
          - name: debugger-x7k2p
            image: busybox:1.36
            targetContainerName: app
            securityContext:
              privileged: true
        """);

    assertThat(summary(decision)).containsExactly(
        "privileged-container spec.ephemeralContainers[1].securityContext.privileged debugger-x7k2p");
  }

  @Test
  void persistentVolumeHostPathRoot() {
    Decision decision = evaluateDefault("""
        apiVersion: v1
        kind: PersistentVolume
        metadata:
          name: pv-root
        spec:
          capacity:
            storage: 10Gi
          accessModes: [ReadWriteOnce]
          persistentVolumeReclaimPolicy: Retain
          storageClassName: manual
          hostPath:
            path: /
            type: Directory
        """);

    assertThat(decision.allowed()).isFalse();
    assertThat(summary(decision)).containsExactlyInAnyOrder(
        "host-root-mount spec.hostPath.path null", "runtime-socket-mount spec.hostPath.path null");
    assertThat(decision.violations().get(0).message()).contains("volume \"pv-root\"");
  }

  @Test
  void persistentVolumeHostPathVarRun() {
    Decision decision = evaluateDefault("""
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: pv-sockets}
        spec:
          capacity: {storage: 1Gi}
          accessModes: [ReadWriteMany]
          hostPath: {path: /var/run}
        """);

    assertThat(decision.allowed()).isFalse();
    assertThat(summary(decision)).containsExactly("runtime-socket-mount spec.hostPath.path null");
  }

  @Test
  void persistentVolumeLocalRoot() {
    Decision decision = evaluateDefault("""
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: local-root}
        spec:
          capacity: {storage: 100Gi}
          volumeMode: Filesystem
          accessModes: [ReadWriteOnce]
          storageClassName: local-storage
          local:
            path: /
          nodeAffinity:
            required:
              nodeSelectorTerms:
              - matchExpressions:
                - {key: kubernetes.io/hostname, operator: In, values: [node-1]}
        """);

    assertThat(decision.allowed()).isFalse();
    assertThat(summary(decision)).containsExactlyInAnyOrder(
        "host-root-mount spec.local.path null", "runtime-socket-mount spec.local.path null");
  }

  @Test
  void persistentVolumeOnAHarmlessDirectoryOrNetworkIsClean() {
    assertThat(evaluateDefault("""
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: pv-data}
        spec:
          capacity: {storage: 1Gi}
          accessModes: [ReadWriteOnce]
          local: {path: /mnt/disks/ssd1}
        """)).isEqualTo(Decision.CLEAN);
    assertThat(evaluateDefault("""
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: pv-nfs}
        spec:
          capacity: {storage: 1Gi}
          accessModes: [ReadWriteMany]
          nfs: {server: nfs.example.com, path: /}
        """)).isEqualTo(Decision.CLEAN);
  }

  @Test
  void unknownKindWithAPodTemplateIsRead() {
    Decision decision = evaluateDefault("""
        apiVersion: apps.kruise.io/v1alpha1
        kind: CloneSet
        metadata: {name: web, namespace: team-a}
        spec:
          replicas: 2
          template:
            spec:
              containers:
              - name: app
                image: nginx
                securityContext: {privileged: true}
                volumeMounts: [{name: sock, mountPath: /run/containerd}]
              volumes:
              - name: sock
                hostPath: {path: /run/containerd}
        """);

    assertThat(summary(decision)).containsExactlyInAnyOrder(
        "privileged-container spec.template.spec.containers[0].securityContext.privileged app",
        "runtime-socket-mount spec.template.spec.volumes[0].hostPath.path app");
  }

  @Test
  void unknownKindWithoutATemplateIsClean() {
    Workload workload = read("""
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: w, namespace: team-a}
        spec:
          privileged: true
          hostPath: {path: /}
          containers:
          - name: app
            securityContext: {privileged: true}
          volumes:
          - name: root
            hostPath: {path: /}
        """);

    assertThat(workload.kind()).isEqualTo("Widget");
    assertThat(workload.containers()).isEmpty();
    assertThat(workload.hostVolumes()).isEmpty();
    assertThat(evaluate(workload, DEFAULT)).isEqualTo(Decision.CLEAN);
  }

  @Test
  void objectsWithoutPodsAreClean() {
    assertThat(evaluateDefault("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: c, namespace: team-a}
        data: {path: /, privileged: "true"}
        """)).isEqualTo(Decision.CLEAN);
    assertThat(evaluateDefault("""
        apiVersion: v1
        kind: Service
        metadata: {name: s, namespace: team-a}
        spec:
          template: {spec: {}}
          ports: [{port: 80}]
        """)).isEqualTo(Decision.CLEAN);
  }

  @Test
  void deploymentWithoutTemplateIsClean() {
    Workload workload = read("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: team-a}
        spec:
          replicas: 0
        """);
    assertThat(workload.containers()).isEmpty();
    assertThat(workload.hostVolumes()).isEmpty();
  }

  // ---------------------------------------------------------------- identity

  @Test
  void namespaceDefaultsWhenTheObjectNamesNone() {
    String noNamespace = """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec: {containers: [{name: app, image: nginx}]}
        """;
    assertThat(WorkloadReader.read(yaml(noNamespace), "from-request").namespace()).isEqualTo("from-request");
    assertThat(WorkloadReader.read(yaml(noNamespace.replace("{name: web}", "{name: web, namespace: ''}")),
        "from-request").namespace()).isEqualTo("from-request");
    assertThat(WorkloadReader.read(yaml(noNamespace.replace("{name: web}", "{name: web, namespace: own}")),
        "from-request").namespace()).isEqualTo("own");
  }

  @Test
  void generateNameStandsInForAMissingName() {
    Workload workload = read("""
        apiVersion: v1
        kind: Pod
        metadata: {generateName: web-}
        spec: {containers: [{name: app, image: nginx}]}
        """);
    assertThat(workload.name()).isEqualTo("web-");
  }

  @Test
  void deprecatedServiceAccountFieldIsRead() {
    Workload workload = read("""
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          serviceAccount: legacy
          containers: [{name: app, image: nginx}]
        """);
    assertThat(workload.serviceAccount()).isEqualTo("legacy");
  }

  @Test
  void serviceAccountNameWinsOverTheDeprecatedField() {
    Workload workload = read("""
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          serviceAccountName: current
          serviceAccount: legacy
          containers: [{name: app, image: nginx}]
        """);
    assertThat(workload.serviceAccount()).isEqualTo("current");
  }

  // ---------------------------------------------------------------- bad shapes

  static Stream<Arguments> badShapes() {
    return Stream.of(
        Arguments.of("volumes not an array",
            "{kind: Pod, metadata: {name: p}, spec: {containers: [], volumes: {name: v}}}",
            "spec.volumes", "array"),
        Arguments.of("hostPath.path a number",
            "{kind: Pod, spec: {containers: [], volumes: [{name: v, hostPath: {path: 42}}]}}",
            "spec.volumes[0].hostPath.path", "string"),
        Arguments.of("hostPath.path missing",
            "{kind: Pod, spec: {containers: [], volumes: [{name: v, hostPath: {type: Directory}}]}}",
            "spec.volumes[0].hostPath.path", "missing"),
        Arguments.of("hostPath a string",
            "{kind: Pod, spec: {containers: [], volumes: [{name: v, hostPath: /}]}}",
            "spec.volumes[0].hostPath", "object"),
        Arguments.of("volume element a string",
            "{kind: Pod, spec: {containers: [], volumes: [v]}}",
            "spec.volumes[0]", "object"),
        Arguments.of("privileged the string true",
            "{kind: Pod, spec: {containers: [{name: a, securityContext: {privileged: 'true'}}]}}",
            "spec.containers[0].securityContext.privileged", "boolean"),
        Arguments.of("privileged a number",
            "{kind: Pod, spec: {containers: [{name: a}, {name: b, securityContext: {privileged: 1}}]}}",
            "spec.containers[1].securityContext.privileged", "boolean"),
        Arguments.of("securityContext a list",
            "{kind: Pod, spec: {initContainers: [{name: a, securityContext: [privileged]}]}}",
            "spec.initContainers[0].securityContext", "object"),
        Arguments.of("containers an object",
            "{kind: Pod, spec: {containers: {name: a, image: nginx}}}",
            "spec.containers", "array"),
        Arguments.of("ephemeralContainers an object",
            "{kind: Pod, spec: {containers: [], ephemeralContainers: {name: a}}}",
            "spec.ephemeralContainers", "array"),
        Arguments.of("spec a string",
            "{kind: Pod, metadata: {name: p}, spec: nonsense}",
            "spec", "object"),
        Arguments.of("container element a string",
            "{kind: Pod, spec: {containers: [nginx]}}",
            "spec.containers[0]", "object"),
        Arguments.of("volumeMounts an object",
            "{kind: Pod, spec: {containers: [{name: a, volumeMounts: {name: v}}]}}",
            "spec.containers[0].volumeMounts", "array"),
        Arguments.of("volumeMount name a number",
            "{kind: Pod, spec: {containers: [{name: a, volumeMounts: [{name: 7, mountPath: /x}]}]}}",
            "spec.containers[0].volumeMounts[0].name", "string"),
        Arguments.of("container image a list",
            "{kind: Pod, spec: {containers: [{name: a, image: [nginx]}]}}",
            "spec.containers[0].image", "string"),
        Arguments.of("Deployment template spec a string",
            "{kind: Deployment, spec: {template: {spec: oops}}}",
            "spec.template.spec", "object"),
        Arguments.of("Deployment volumes not an array",
            "{kind: Deployment, spec: {template: {spec: {containers: [], volumes: 3}}}}",
            "spec.template.spec.volumes", "array"),
        Arguments.of("CronJob privileged a string",
            "{kind: CronJob, spec: {jobTemplate: {spec: {template: {spec: {containers: "
                + "[{name: a, securityContext: {privileged: 'yes'}}]}}}}}}",
            "spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged", "boolean"),
        Arguments.of("PodTemplate containers an object",
            "{kind: PodTemplate, template: {spec: {containers: {name: a}}}}",
            "template.spec.containers", "array"),
        Arguments.of("EphemeralContainers list a string",
            "{kind: EphemeralContainers, ephemeralContainers: debugger}",
            "ephemeralContainers", "array"),
        Arguments.of("PersistentVolume hostPath.path a number",
            "{kind: PersistentVolume, metadata: {name: pv}, spec: {hostPath: {path: 1}}}",
            "spec.hostPath.path", "string"),
        Arguments.of("PersistentVolume local a string",
            "{kind: PersistentVolume, metadata: {name: pv}, spec: {local: /}}",
            "spec.local", "object"),
        Arguments.of("metadata a string",
            "{kind: Pod, metadata: web, spec: {containers: []}}",
            "metadata", "object"),
        Arguments.of("namespace a number",
            "{kind: Pod, metadata: {name: p, namespace: 5}, spec: {containers: []}}",
            "metadata.namespace", "string"),
        Arguments.of("kind a list",
            "{kind: [Pod], spec: {containers: []}}",
            "kind", "string"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badShapes")
  void badShapesAreRefusedNamingTheField(String description, String object, String field, String expected) {
    assertThatThrownBy(() -> WorkloadReader.read(yaml(object), "default"))
        .isInstanceOf(InvalidObjectException.class)
        .hasMessageStartingWith(field + ":")
        .hasMessageContaining(expected);
  }

  @Test
  void aNonObjectIsRefused() {
    assertThatThrownBy(() -> WorkloadReader.read(yaml("[1, 2]"), "default"))
        .isInstanceOf(InvalidObjectException.class).hasMessageContaining("object");
    assertThatThrownBy(() -> WorkloadReader.read(NullNode.getInstance(), "default"))
        .isInstanceOf(InvalidObjectException.class);
    assertThatThrownBy(() -> WorkloadReader.read(null, "default"))
        .isInstanceOf(InvalidObjectException.class);
  }

  @Test
  void explicitNullsAreAbsentFields() {
    Workload workload = read("""
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: null}
        spec:
          volumes: null
          initContainers: null
          containers:
          - name: app
            image: nginx
            securityContext: null
            volumeMounts: null
        """);
    assertThat(workload.namespace()).isEqualTo("default");
    assertThat(workload.containers()).hasSize(1);
    assertThat(workload.hostVolumes()).isEmpty();
  }
}
