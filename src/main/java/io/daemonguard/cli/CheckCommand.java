package io.daemonguard.cli;

import io.daemonguard.admission.AdmissionEngine;
import io.daemonguard.admission.AdmissionPolicy;
import io.daemonguard.admission.InvalidObjectException;
import io.daemonguard.admission.Outcome;
import io.daemonguard.admission.Workload;
import io.daemonguard.admission.WorkloadReader;
import io.daemonguard.manifest.ManifestReader;
import io.daemonguard.policy.PolicyFiles;
import io.daemonguard.report.JsonReport;
import io.daemonguard.report.JunitReport;
import io.daemonguard.report.ObjectResult;
import io.daemonguard.report.SarifReport;
import io.daemonguard.report.TextReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code daemonguard check}: the webhook's judgement on manifests, offline, for CI pipelines. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
        "Evaluates Kubernetes manifests against the admission rules, as the webhook would.",
        "Exit codes: 0 nothing denied, 1 something denied, 2 bad input or command line."},
    sortOptions = false)
public final class CheckCommand implements Callable<Integer> {

  public static final int EXIT_CLEAN = 0;
  public static final int EXIT_DENIED = 1;
  public static final int EXIT_BAD_INPUT = 2;

  @Parameters(arity = "1..*", paramLabel = "PATH",
      description = "YAML or JSON file (several documents and kind: List allowed), a directory (walked for"
          + " .yaml, .yml and .json files), or - for standard input.")
  List<String> paths;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "text (default); json: one JSON array, one element per object; sarif: SARIF 2.1.0 for GitHub code"
          + " scanning; junit: JUnit XML for CI dashboards.")
  String output;

  @Option(names = "--output-file", paramLabel = "FILE",
      description = "Write the -o report to FILE (whole, or not at all) and the text report to standard output.")
  Path outputFile;

  @Option(names = "--policy", paramLabel = "FILE",
      description = "DaemonSecurityPolicy file(s) to apply instead of the built-in default policy. Repeatable.")
  List<Path> policyFiles = new ArrayList<>();

  @Option(names = "--namespace", paramLabel = "NS", defaultValue = "default",
      description = "Namespace for objects that name none (default: ${DEFAULT-VALUE}), as kubectl would apply them.")
  String namespace;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private InputStream stdin = System.in;
  private byte[] stdinContent;

  /** For tests: what {@code -} reads. */
  CheckCommand withStdin(InputStream in) {
    this.stdin = in;
    return this;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!FORMATS.contains(output)) {
      err.println("daemonguard check: -o " + output + ": expected text, json, sarif or junit");
      return EXIT_BAD_INPUT;
    }
    List<AdmissionPolicy> policies;
    try {
      policies = policyFiles.isEmpty()
          ? List.of(AdmissionPolicy.defaultPolicy(null, Set.of()))
          : PolicyFiles.load(policyFiles);
    } catch (ManifestReader.ManifestException e) {
      err.println("daemonguard check: " + e.getMessage());
      return EXIT_BAD_INPUT;
    }
    List<String> errors = new ArrayList<>();
    List<ObjectResult> results = new ArrayList<>();
    for (String path : paths) {
      for (Source source : sources(path, errors)) {
        evaluate(source, policies, results, errors);
      }
    }
    if (outputFile == null) {
      report(output, out, results);
    } else {
      try {
        OutputFile.write(outputFile, file -> report(output, file, results));
      } catch (OutputFile.WriteException e) {
        errors.add(e.getMessage());
      }
      TextReport.write(out, results);
    }
    out.flush();
    for (String error : errors) {
      err.println("daemonguard check: " + error);
    }
    err.flush();
    if (!errors.isEmpty()) {
      return EXIT_BAD_INPUT;
    }
    return results.stream().anyMatch(r -> r.outcome() == Outcome.DENY) ? EXIT_DENIED : EXIT_CLEAN;
  }

  private static final List<String> FORMATS = List.of("text", "json", "sarif", "junit");

  private static void report(String format, PrintWriter out, List<ObjectResult> results) {
    switch (format) {
      case "json" -> JsonReport.write(out, results);
      case "sarif" -> SarifReport.write(out, results, Path.of(""));
      case "junit" -> JunitReport.write(out, results);
      default -> TextReport.write(out, results);
    }
  }

  private record Source(String name, byte[] content) {}

  private List<Source> sources(String path, List<String> errors) {
    if (path.equals("-")) {
      try {
        if (stdinContent == null) {
          stdinContent = stdin.readAllBytes(); // '-' given twice means the same input, not an empty one
        }
        return List.of(new Source(ObjectResult.STDIN, stdinContent));
      } catch (IOException e) {
        errors.add(ObjectResult.STDIN + ": cannot read (" + e.getMessage() + ")");
        return List.of();
      }
    }
    Path file = Path.of(path);
    if (!Files.exists(file)) {
      errors.add(path + ": no such file or directory");
      return List.of();
    }
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(file)) {
      try (Stream<Path> walk = Files.walk(file)) {
        walk.filter(Files::isRegularFile).filter(CheckCommand::isManifest).sorted().forEach(files::add);
      } catch (IOException e) {
        errors.add(path + ": cannot walk directory (" + e.getMessage() + ")");
        return List.of();
      }
    } else {
      files.add(file);
    }
    List<Source> sources = new ArrayList<>();
    for (Path f : files) {
      try {
        sources.add(new Source(f.toString(), Files.readAllBytes(f)));
      } catch (IOException e) {
        errors.add(f + ": cannot read (" + e.getClass().getSimpleName() + ")");
      }
    }
    return sources;
  }

  private static boolean isManifest(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
  }

  private void evaluate(
      Source source, List<AdmissionPolicy> policies, List<ObjectResult> results, List<String> errors) {
    ManifestReader.Parsed parsed = ManifestReader.read(source.name(), source.content());
    errors.addAll(parsed.errors());
    for (ManifestReader.Manifest manifest : parsed.manifests()) {
      Workload workload;
      try {
        String kind = manifest.object().path("kind").asText();
        workload = WorkloadReader.read(manifest.object(), Workload.isClusterScoped(kind) ? null : namespace);
      } catch (InvalidObjectException e) {
        errors.add(manifest.where() + ": " + e.getMessage());
        continue;
      }
      results.add(new ObjectResult(
          source.name(), manifest.positions(), workload, AdmissionEngine.evaluate(workload, policies)));
    }
  }
}
