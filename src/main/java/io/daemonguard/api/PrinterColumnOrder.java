package io.daemonguard.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A build step (pom.xml runs it between the CRD generator and the copies into crds/): fabric8's generator sorts printer
 * columns by their JSON path, which put Age first; kubectl prints them in the CRD's order, so they are put back in the
 * order the resource class declares them (design.md §4 fixes it).
 */
public final class PrinterColumnOrder {

  private static final Map<String, Class<?>> KINDS = Map.of(
      "DaemonSecurityPolicy", DaemonSecurityPolicy.class,
      "NodeDaemonPosture", NodeDaemonPosture.class);

  private PrinterColumnOrder() {}

  public static void main(String[] args) throws IOException {
    try (var files = Files.list(Path.of(args[0]))) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith("-v1.yml")).sorted().toList()) {
        reorder(file);
      }
    }
  }

  static void reorder(Path file) throws IOException {
    CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(file, StandardCharsets.UTF_8),
        CustomResourceDefinition.class);
    Class<?> type = KINDS.get(crd.getSpec().getNames().getKind());
    if (type == null) {
      throw new IllegalStateException(file + ": kind " + crd.getSpec().getNames().getKind()
          + " has no resource class here; add it to PrinterColumnOrder.KINDS");
    }
    List<String> declared = new ArrayList<>();
    for (AdditionalPrinterColumn column : type.getAnnotationsByType(AdditionalPrinterColumn.class)) {
      declared.add(column.name());
    }
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      if (version.getAdditionalPrinterColumns() != null) {
        version.getAdditionalPrinterColumns().sort(Comparator.comparingInt(
            (CustomResourceColumnDefinition c) -> declared.indexOf(c.getName())));
      }
    }
    Files.writeString(file, Serialization.asYaml(crd), StandardCharsets.UTF_8);
  }
}
