package io.daemonguard.operator;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;

/**
 * The e2e cluster for tests that run operator code in this JVM against the real apiserver: an admin client, a client
 * that records every request that is not a read (so "no write" is counted, not assumed), and the chart's operator
 * scaled to zero while the test acts, so that only one operator does. {@link #close()} puts it back.
 */
public final class InProcessOperatorCluster implements AutoCloseable {

  public final KubernetesClient admin;
  public final KubernetesClient counted;
  /** "METHOD path" of every write the counted client made. */
  public final List<String> writes = new CopyOnWriteArrayList<>();
  public final String namespace = System.getProperty("e2e.namespace", "daemonguard-system");
  private final String release = System.getProperty("e2e.release", "daemonguard");
  private Integer chartReplicas;

  public InProcessOperatorCluster() throws IOException {
    String file = System.getProperty("e2e.kubeconfig", System.getenv("KUBECONFIG"));
    if (file == null) {
      throw new IllegalStateException("e2e tests need -De2e.kubeconfig=FILE; run them through e2e/run");
    }
    String kubeconfig = Files.readString(Path.of(file));
    admin = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
    counted = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig))
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("count-writes", new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            if (!"GET".equals(request.method())) {
              writes.add(request.method() + " " + request.uri().getPath());
            }
          }
        })).build();
    Deployment chartOperator = chartOperator();
    if (chartOperator != null) {
      chartReplicas = chartOperator.getSpec().getReplicas();
      scaleChartOperator(0);
      Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> admin.pods().inNamespace(namespace)
          .withLabels(operatorLabels()).list().getItems().isEmpty());
    }
  }

  /** Waits until the counted client has made no write for three seconds. */
  public void awaitQuiet() {
    int[] seen = {-1};
    Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(3)).until(() -> {
      int now = writes.size();
      boolean quiet = now == seen[0];
      seen[0] = now;
      return quiet;
    });
  }

  private Map<String, String> operatorLabels() {
    return Map.of("app.kubernetes.io/name", "daemonguard", "app.kubernetes.io/instance", release,
        "app.kubernetes.io/component", "operator");
  }

  private Deployment chartOperator() {
    return admin.apps().deployments().inNamespace(namespace).withLabels(operatorLabels()).list().getItems().stream()
        .findFirst().orElse(null);
  }

  private void scaleChartOperator(int replicas) {
    Deployment deployment = chartOperator();
    if (deployment != null) {
      admin.apps().deployments().inNamespace(namespace).withName(deployment.getMetadata().getName())
          .scale(replicas);
    }
  }

  @Override
  public void close() {
    if (chartReplicas != null) {
      scaleChartOperator(chartReplicas);
    }
    admin.close();
    counted.close();
  }
}
