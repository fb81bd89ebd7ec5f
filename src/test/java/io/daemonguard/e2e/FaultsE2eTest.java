package io.daemonguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults in the real cluster, under a stream of pod creations: a webhook pod dies, the certificate is rotated, every
 * webhook pod is gone. Nothing may fail that should pass, and nothing may pass that should fail.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsE2eTest {

  private E2eCluster cluster;
  private String ns;

  @BeforeAll
  void setUp() throws Exception {
    cluster = new E2eCluster();
    ns = cluster.newNamespace("dg-faults");
  }

  @AfterAll
  void tearDown() {
    if (cluster != null) {
      cluster.deleteNamespace(ns);
      cluster.client.close();
    }
  }

  /** What a stream of creations saw: good pods refused, bad pods admitted, bad pods refused for another reason. */
  record StreamResult(int good, int bad, List<String> goodRefused, List<String> badAdmitted, List<String> badOther) {}

  /** Creates pods (half privileged) until {@code stop} is set; pods name no real node, so no kubelet runs them. */
  private StreamResult stream(AtomicBoolean stop, Duration pause) throws InterruptedException {
    int good = 0;
    int bad = 0;
    List<String> goodRefused = new ArrayList<>();
    List<String> badAdmitted = new ArrayList<>();
    List<String> badOther = new ArrayList<>();
    for (int i = 0; !stop.get(); i++) {
      boolean privileged = i % 2 == 1;
      String name = "s-" + System.nanoTime();
      Pod pod = new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
          .withNodeName("dg-faults-no-such-node")
          .addNewContainer().withName("app").withImage(E2eCluster.PAUSE_IMAGE)
          .withNewSecurityContext().withPrivileged(privileged).endSecurityContext().endContainer()
          .endSpec().build();
      try {
        cluster.client.pods().inNamespace(ns).resource(pod).create();
        if (privileged) {
          badAdmitted.add(name);
        }
        cluster.client.pods().inNamespace(ns).withName(name).withGracePeriod(0).delete();
      } catch (KubernetesClientException e) {
        String message = String.valueOf(e.getMessage());
        if (!privileged) {
          goodRefused.add(message);
        } else if (!message.contains("[privileged-container]")) {
          badOther.add(message);
        }
      }
      if (privileged) {
        bad++;
      } else {
        good++;
      }
      Thread.sleep(pause.toMillis());
    }
    return new StreamResult(good, bad, goodRefused, badAdmitted, badOther);
  }

  private void awaitAllReady(int replicas) {
    String name = cluster.webhookDeployment().getMetadata().getName();
    await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      Deployment current = cluster.client.apps().deployments().inNamespace(cluster.namespace).withName(name).get();
      assertThat(current.getStatus().getReadyReplicas()).isEqualTo(replicas);
      assertThat(current.getStatus().getReplicas()).isEqualTo(replicas);
    });
  }

  @Test
  @Order(1)
  void deletingAWebhookPodDuringAStreamOfCreatesLosesNothing() throws Exception {
    // what a node drain or an eviction does: SIGTERM after the grace period starts, then the pod is gone
    killDuringStream(false);
  }

  @Test
  @Order(2)
  void forceKillingAWebhookPodDuringAStreamOfCreatesLosesNothing() throws Exception {
    // kubectl delete --force --grace-period=0: the pod object vanishes at once and the kubelet kills the process
    killDuringStream(true);
  }

  private void killDuringStream(boolean force) throws Exception {
    int replicas = cluster.webhookDeployment().getSpec().getReplicas();
    assertThat(replicas).isGreaterThanOrEqualTo(2);
    awaitAllReady(replicas);
    AtomicBoolean stop = new AtomicBoolean();
    // what the killer saw and did, read after join(); its failure fails the test, not just its own thread
    AtomicReference<Set<String>> uidsBefore = new AtomicReference<>();
    AtomicReference<Pod> killed = new AtomicReference<>();
    AtomicReference<Throwable> killerFailure = new AtomicReference<>();
    Thread killer = new Thread(() -> {
      try {
        Thread.sleep(3000);
        List<Pod> before = cluster.webhookPods().list().getItems();
        uidsBefore.set(uids(before));
        Pod victim = before.stream().filter(E2eCluster::ready).findFirst()
            .orElseThrow(() -> new IllegalStateException("no Ready webhook pod to kill among " + uidsBefore.get()));
        var pod = cluster.client.pods().inNamespace(cluster.namespace).withName(victim.getMetadata().getName());
        List<StatusDetails> deleted = force ? pod.withGracePeriod(0).delete() : pod.delete();
        if (deleted.isEmpty()) {
          throw new IllegalStateException("deleting webhook pod " + victim.getMetadata().getName()
              + " deleted nothing");
        }
        killed.set(victim);
        // the victim is gone for good, a pod no webhook pod was before is Ready, and the Deployment is whole again
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
          Pod current = pod.get();
          assertThat(current == null || !uid(current).equals(uid(victim))).as("killed pod gone").isTrue();
          assertThat(cluster.webhookPods().list().getItems()).as("a new Ready webhook pod")
              .anyMatch(p -> E2eCluster.ready(p) && !uidsBefore.get().contains(uid(p)));
        });
        awaitAllReady(replicas);
        Thread.sleep(3000);
      } catch (Throwable e) {
        killerFailure.set(e);
      } finally {
        stop.set(true);
      }
    }, "webhook-pod-killer");
    killer.start();
    StreamResult result;
    try {
      result = stream(stop, Duration.ofMillis(20));
    } catch (Throwable e) {
      killer.interrupt();
      throw e;
    } finally {
      killer.join();
    }
    if (killerFailure.get() != null) {
      throw new AssertionError("the thread that kills a webhook pod failed", killerFailure.get());
    }
    System.out.printf("pod %s under load: %d good and %d privileged creations%n", force ? "force-killed" : "deleted",
        result.good(), result.bad());
    assertThat(killed.get()).as("the webhook pod that was killed").isNotNull();
    String victimUid = uid(killed.get());
    List<Pod> readyAfter = cluster.webhookPods().list().getItems().stream().filter(E2eCluster::ready).toList();
    assertThat(uids(readyAfter)).as("UIDs of the Ready webhook pods after the kill").doesNotContain(victimUid)
        .anyMatch(uid -> !uidsBefore.get().contains(uid));
    assertThat(result.goodRefused()).as("good pods refused").isEmpty();
    assertThat(result.badAdmitted()).as("privileged pods admitted").isEmpty();
    assertThat(result.badOther()).as("privileged pods refused without our message").isEmpty();
    assertThat(result.good()).isGreaterThan(50);
  }

  private static String uid(Pod pod) {
    return pod.getMetadata().getUid();
  }

  private static Set<String> uids(List<Pod> pods) {
    return pods.stream().map(FaultsE2eTest::uid).collect(Collectors.toSet());
  }

  @Test
  @Order(3)
  void rotatingTheWebhookCertificateDuringLoadCausesNoErrors() throws Exception {
    String release = cluster.release;
    Secret ca = cluster.client.secrets().inNamespace(cluster.namespace).withName(release + "-ca").get();
    Secret tls = cluster.client.secrets().inNamespace(cluster.namespace).withName(release + "-tls").get();
    assertThat(ca).as("the chart's CA secret").isNotNull();
    assertThat(tls).as("the chart's TLS secret").isNotNull();
    String serial = newServingCertificate(ca, tls);
    // the pods that serve: a pod still terminating (an earlier revision after a Helm upgrade, or one an earlier test
    // killed) never reloads, and is gone before its log can be read
    List<Pod> pods = cluster.webhookPods().list().getItems().stream().filter(E2eCluster::ready).toList();
    assertThat(pods).as("webhook pods serving").isNotEmpty();

    AtomicBoolean stop = new AtomicBoolean();
    Thread watcher = new Thread(() -> {
      try {
        // the kubelet refreshes Secret volumes within about a minute; each pod logs the reload
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2)).until(() -> pods.stream()
            .allMatch(p -> cluster.client.pods().inNamespace(cluster.namespace).withName(p.getMetadata().getName())
                .getLog().contains("certificate reloaded")));
        Thread.sleep(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        stop.set(true);
      }
    });
    watcher.start();
    StreamResult result = stream(stop, Duration.ofMillis(100));
    watcher.join();
    System.out.printf("certificate rotation under load: %d good and %d privileged creations, new serial %s%n",
        result.good(), result.bad(), serial);
    assertThat(result.goodRefused()).as("good pods refused (TLS errors show here)").isEmpty();
    assertThat(result.badAdmitted()).isEmpty();
    assertThat(result.badOther()).isEmpty();
    for (Pod pod : pods) {
      assertThat(cluster.client.pods().inNamespace(cluster.namespace).withName(pod.getMetadata().getName()).getLog())
          .contains("certificate reloaded");
    }
  }

  /** Signs a new serving certificate with the chart's CA and writes it into the webhook's TLS secret. */
  private String newServingCertificate(Secret ca, Secret tls) throws Exception {
    X509Certificate caCert = new JcaX509CertificateConverter().getCertificate(
        (X509CertificateHolder) new PEMParser(new StringReader(decode(ca, "tls.crt"))).readObject());
    Object keyObject = new PEMParser(new StringReader(decode(ca, "tls.key"))).readObject();
    PrivateKey caKey = keyObject instanceof PEMKeyPair pair
        ? new JcaPEMKeyConverter().getKeyPair(pair).getPrivate()
        : new JcaPEMKeyConverter().getPrivateKey((org.bouncycastle.asn1.pkcs.PrivateKeyInfo) keyObject);
    X509Certificate old = new JcaX509CertificateConverter().getCertificate(
        (X509CertificateHolder) new PEMParser(new StringReader(decode(tls, "tls.crt"))).readObject());
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair keys = generator.generateKeyPair();
    Instant now = Instant.now();
    BigInteger serial = BigInteger.valueOf(now.toEpochMilli());
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCert, serial,
        Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(30))),
        X500Name.getInstance(old.getSubjectX500Principal().getEncoded()), keys.getPublic());
    String service = cluster.release + "." + cluster.namespace;
    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.dNSName, cluster.release), new GeneralName(GeneralName.dNSName, service),
        new GeneralName(GeneralName.dNSName, service + ".svc"),
        new GeneralName(GeneralName.dNSName, service + ".svc.cluster.local")}));
    X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(caKey)));
    Secret updated = new SecretBuilder(tls)
        .addToData("tls.crt", encode(pem(cert)))
        .addToData("tls.key", encode(pem(keys.getPrivate())))
        .build();
    cluster.client.secrets().inNamespace(cluster.namespace).resource(updated).update();
    return serial.toString(16);
  }

  private static String decode(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  private static String encode(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String pem(Object object) throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }

  @Test
  @Order(4)
  void withEveryWebhookPodGoneTheClusterFailsClosedAndRecovers() {
    Deployment deployment = cluster.webhookDeployment();
    String name = deployment.getMetadata().getName();
    int replicas = deployment.getSpec().getReplicas();
    cluster.client.apps().deployments().inNamespace(cluster.namespace).withName(name).scale(0);
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> cluster.webhookPods().list().getItems().isEmpty());
      // failurePolicy Fail: without a webhook nothing is admitted in judged namespaces, not even a good pod
      Pod good = new PodBuilder().withNewMetadata().withName("while-gone").endMetadata().withNewSpec()
          .withNodeName("dg-faults-no-such-node").addNewContainer().withName("app").withImage(E2eCluster.PAUSE_IMAGE)
          .endContainer().endSpec().build();
      assertThatThrownBy(() -> cluster.client.pods().inNamespace(ns).resource(good).create())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("failed calling webhook \"" + E2eCluster.WEBHOOK_NAME + "\"");
      // its own namespace is excluded by the webhook configuration, so it can always heal itself
      Pod own = new PodBuilder(good).editMetadata().withName("dg-faults-own").endMetadata().build();
      cluster.client.pods().inNamespace(cluster.namespace).resource(own).create();
      cluster.client.pods().inNamespace(cluster.namespace).withName("dg-faults-own").withGracePeriod(0).delete();
    } finally {
      cluster.client.apps().deployments().inNamespace(cluster.namespace).withName(name).scale(replicas);
    }
    awaitAllReady(replicas);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      String pod = "back-" + System.nanoTime();
      cluster.client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName(pod).endMetadata()
          .withNewSpec().withNodeName("dg-faults-no-such-node").addNewContainer().withName("app")
          .withImage(E2eCluster.PAUSE_IMAGE).endContainer().endSpec().build()).create();
    });
  }
}
