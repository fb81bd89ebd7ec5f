package io.daemonguard.policy;

import io.daemonguard.admission.AdmissionPolicy;
import io.daemonguard.manifest.ManifestReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** DaemonSecurityPolicy files for {@code check --policy} and {@code webhook --policy}; a typo is an error, not a no-op. */
public final class PolicyFiles {

  private PolicyFiles() {}

  public static List<AdmissionPolicy> load(List<Path> files) throws ManifestReader.ManifestException {
    List<AdmissionPolicy> policies = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Path file : files) {
      byte[] content;
      try {
        content = Files.readAllBytes(file);
      } catch (IOException e) {
        throw new ManifestReader.ManifestException(file + ": cannot read policy file (" + e.getClass().getSimpleName() + ")");
      }
      List<ManifestReader.Manifest> manifests = ManifestReader.readStrict(file.toString(), content);
      if (manifests.isEmpty()) {
        // an empty policy file must not silently switch the checks off
        throw new ManifestReader.ManifestException(file + ": holds no DaemonSecurityPolicy");
      }
      for (ManifestReader.Manifest manifest : manifests) {
        String where = manifest.where();
        String kind = manifest.object().path("kind").asText();
        if (!"DaemonSecurityPolicy".equals(kind)) {
          throw new ManifestReader.ManifestException(where + ": kind " + kind + " is not DaemonSecurityPolicy");
        }
        String apiVersion = manifest.object().path("apiVersion").asText();
        if (!"daemonguard.io/v1alpha1".equals(apiVersion)) {
          throw new ManifestReader.ManifestException(
              where + ": apiVersion \"" + apiVersion + "\" is not daemonguard.io/v1alpha1");
        }
        AdmissionPolicy policy;
        try {
          policy = PolicyObjects.compile(manifest.object());
        } catch (IllegalArgumentException e) {
          throw new ManifestReader.ManifestException(where + ": " + e.getMessage());
        }
        if (!names.add(policy.name())) {
          throw new ManifestReader.ManifestException(where + ": a second policy named " + policy.name());
        }
        policies.add(policy);
      }
    }
    return policies;
  }
}
