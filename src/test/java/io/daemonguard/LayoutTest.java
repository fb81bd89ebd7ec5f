package io.daemonguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layout that shows the architecture: one engine, many doors. A door (webhook, operator, cli) may use the shared
 * packages; a shared package never uses a door, and no door uses another. Read from the sources' imports and fully
 * qualified names, so that it fails the build the moment a door reaches into another.
 */
class LayoutTest {

  static final Set<String> DOORS = Set.of("webhook", "operator", "cli");
  static final Set<String> SHARED = Set.of("admission", "policy", "posture", "report", "manifest", "api", "tls");
  private static final Path MAIN = Path.of("src/main/java/io/daemonguard");
  private static final Pattern REFERENCE = Pattern.compile("\\bio\\.daemonguard\\.([a-z]+)\\.");

  /** Every reference from a package under {@code io.daemonguard} to another, as "from -> to (file)". */
  static List<String> crossings(Path root) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Path relative = root.relativize(file);
        if (relative.getNameCount() < 2) {
          continue; // Main and the logging setup: the entry point may see every door
        }
        String from = relative.getName(0).toString();
        Matcher matcher = REFERENCE.matcher(Files.readString(file));
        while (matcher.find()) {
          String to = matcher.group(1);
          if (!to.equals(from) && !allowed(from, to)) {
            found.add(from + " -> " + to + " (" + relative + ")");
          }
        }
      }
    }
    return found;
  }

  static boolean allowed(String from, String to) {
    if (DOORS.contains(to)) {
      return false; // nothing but Main uses a door
    }
    return SHARED.contains(to) && (DOORS.contains(from) || SHARED.contains(from));
  }

  @Test
  void doorsUseOnlySharedPackagesAndSharedPackagesNoDoor() throws IOException {
    assertThat(Files.isDirectory(MAIN)).as("run from the project root").isTrue();
    assertThat(crossings(MAIN)).as("references across the layout's lines").isEmpty();
  }

  @Test
  void everyPackageIsADoorOrShared() throws IOException {
    try (Stream<Path> dirs = Files.list(MAIN)) {
      assertThat(dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()))
          .allMatch(name -> DOORS.contains(name) || SHARED.contains(name));
    }
  }

  @Test
  void aDoorReachingIntoAnotherIsFound(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("webhook"));
    Files.createDirectories(dir.resolve("admission"));
    Files.writeString(dir.resolve("webhook/A.java"),
        "package io.daemonguard.webhook;\nimport io.daemonguard.cli.PolicyFiles;\nimport io.daemonguard.report.X;\n");
    Files.writeString(dir.resolve("admission/B.java"),
        "package io.daemonguard.admission;\nclass B { io.daemonguard.webhook.Server s; }\n");

    assertThat(crossings(dir)).containsExactlyInAnyOrder(
        "webhook -> cli (webhook/A.java)", "admission -> webhook (admission/B.java)");
  }
}
