package io.daemonguard.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.daemonguard.api.DaemonSecurityPolicy;
import io.daemonguard.policy.PolicyCompiler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Shared helpers for the admission tests: parsing manifests and policies, and flattening decisions for exact asserts. */
public final class Fixtures {
  public static final YAMLMapper YAML = new YAMLMapper();
  public static final ObjectMapper JSON = new ObjectMapper();

  /** The built-in policy as {@code check} uses it: no own namespace known. */
  public static final AdmissionPolicy DEFAULT = AdmissionPolicy.defaultPolicy(null, Set.of());

  private Fixtures() {}

  public static JsonNode yaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode resource(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/admission/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /admission/" + name);
      }
      return YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Workload read(String yamlText) {
    return WorkloadReader.read(yaml(yamlText), "default");
  }

  public static Decision evaluate(Workload workload, AdmissionPolicy... policies) {
    return AdmissionEngine.evaluate(workload, Arrays.asList(policies));
  }

  /** Reads the YAML text and evaluates it against the default policy. */
  public static Decision evaluateDefault(String yamlText) {
    return evaluate(read(yamlText), DEFAULT);
  }

  public static DaemonSecurityPolicy dsp(String yamlText) {
    try {
      return YAML.readValue(yamlText, DaemonSecurityPolicy.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static AdmissionPolicy compile(String yamlText) {
    return PolicyCompiler.compile(dsp(yamlText));
  }

  /** {@code rule path container} for each finding, e.g. {@code host-root-mount spec.volumes[0].hostPath.path app}. */
  public static List<String> summary(Decision decision) {
    return decision.violations().stream()
        .map(f -> f.rule().id() + " " + f.path() + " " + (f.containers().isEmpty() ? null : String.join(",", f.containers())))
        .toList();
  }

  /** {@code rule path} for each finding. */
  public static List<String> rulesAndPaths(Decision decision) {
    return decision.violations().stream()
        .map(f -> f.rule().id() + " " + f.path())
        .toList();
  }

  public static List<String> ruleIds(Decision decision) {
    return decision.violations().stream().map(f -> f.rule().id()).toList();
  }

  /**
   * A Pod in namespace {@code team-a} with one container {@code app} mounting one hostPath volume {@code host} at the
   * given path. Built as a tree so that any path spelling survives unquoted.
   */
  public static ObjectNode podWithHostPath(String hostPath) {
    ObjectNode pod = JSON.createObjectNode();
    pod.put("apiVersion", "v1").put("kind", "Pod");
    pod.putObject("metadata").put("name", "web").put("namespace", "team-a");
    ObjectNode spec = pod.putObject("spec");
    ObjectNode container = spec.putArray("containers").addObject();
    container.put("name", "app").put("image", "nginx:1.27");
    container.putArray("volumeMounts").addObject().put("name", "host").put("mountPath", "/host");
    ArrayNode volumes = spec.putArray("volumes");
    volumes.addObject().put("name", "host").putObject("hostPath").put("path", hostPath);
    return pod;
  }

  public static Decision evaluateHostPath(String hostPath, AdmissionPolicy... policies) {
    return evaluate(WorkloadReader.read(podWithHostPath(hostPath), "default"),
        policies.length == 0 ? new AdmissionPolicy[] {DEFAULT} : policies);
  }
}
