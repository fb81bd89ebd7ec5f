package io.daemonguard.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.daemonguard.Sha256;
import io.daemonguard.admission.RuleId;
import io.daemonguard.admission.Violation;
import io.daemonguard.admission.Workload;
import io.daemonguard.manifest.SourcePositions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/**
 * Results as SARIF 2.1.0, in the shape GitHub code scanning takes: one run, every rule described, and every violation
 * a result pointing at the line of the offending field. GitHub refuses a result without a file location, so each has
 * one, at worst the first line of its object's document.
 */
public final class SarifReport {
  private static final JsonFactory JSON = new JsonFactory();
  static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
  /** The key GitHub tracks an alert by across commits; versioned so that a new way of hashing starts new alerts. */
  static final String FINGERPRINT = "daemonguard/v1";

  private SarifReport() {}

  /** Writes the log; file locations are relative to {@code base} (the current directory), as GitHub resolves them. */
  public static void write(PrintWriter out, List<ObjectResult> results, Path base) {
    try {
      JsonGenerator json = JSON.createGenerator(out);
      json.useDefaultPrettyPrinter();
      json.writeStartObject();
      json.writeStringField("$schema", SCHEMA);
      json.writeStringField("version", "2.1.0");
      json.writeArrayFieldStart("runs");
      json.writeStartObject();
      writeTool(json);
      // SnakeYAML's marks count code points, not SARIF's default UTF-16 units
      json.writeStringField("columnKind", "unicodeCodePoints");
      json.writeArrayFieldStart("results");
      for (ObjectResult result : results) {
        for (Violation violation : result.decision().violations()) {
          writeResult(json, result, violation, base);
        }
      }
      json.writeEndArray();
      json.writeEndObject();
      json.writeEndArray();
      json.writeEndObject();
      json.flush();
      out.println();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeTool(JsonGenerator json) throws IOException {
    String version = SarifReport.class.getPackage().getImplementationVersion();
    json.writeObjectFieldStart("tool");
    json.writeObjectFieldStart("driver");
    json.writeStringField("name", "daemonguard");
    json.writeStringField("version", version == null ? "dev" : version);
    json.writeStringField("informationUri", RuleHelp.INFORMATION_URI);
    json.writeArrayFieldStart("rules");
    for (RuleId rule : RuleId.values()) {
      RuleHelp help = RuleHelp.of(rule);
      json.writeStartObject();
      json.writeStringField("id", help.id());
      json.writeStringField("name", help.name());
      json.writeObjectFieldStart("shortDescription");
      json.writeStringField("text", help.shortDescription());
      json.writeEndObject();
      json.writeObjectFieldStart("fullDescription");
      json.writeStringField("text", help.fullDescription());
      json.writeEndObject();
      json.writeObjectFieldStart("help");
      json.writeStringField("text", help.helpText());
      json.writeStringField("markdown", help.helpMarkdown());
      json.writeEndObject();
      json.writeStringField("helpUri", RuleHelp.HELP_URI);
      json.writeObjectFieldStart("defaultConfiguration");
      json.writeStringField("level", "error");
      json.writeEndObject();
      json.writeObjectFieldStart("properties");
      json.writeStringField("security-severity", help.securitySeverity());
      json.writeArrayFieldStart("tags");
      for (String tag : help.tags()) {
        json.writeString(tag);
      }
      json.writeEndArray();
      json.writeEndObject();
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
    json.writeEndObject();
  }

  private static void writeResult(JsonGenerator json, ObjectResult result, Violation violation, Path base)
      throws IOException {
    Workload workload = result.workload();
    String uri = uri(result.source(), base);
    SourcePositions.Position at = result.positions().find(violation.path());
    json.writeStartObject();
    json.writeStringField("ruleId", violation.rule().id());
    json.writeNumberField("ruleIndex", violation.rule().ordinal());
    json.writeStringField("level", level(violation));
    json.writeObjectFieldStart("message");
    json.writeStringField("text", ViolationText.sentence(workload, violation));
    json.writeEndObject();
    json.writeArrayFieldStart("locations");
    json.writeStartObject();
    json.writeObjectFieldStart("physicalLocation");
    json.writeObjectFieldStart("artifactLocation");
    json.writeStringField("uri", uri);
    json.writeEndObject();
    json.writeObjectFieldStart("region");
    json.writeNumberField("startLine", at.line());
    json.writeNumberField("startColumn", at.column());
    json.writeEndObject();
    json.writeEndObject();
    json.writeEndObject();
    json.writeEndArray();
    json.writeObjectFieldStart("partialFingerprints");
    json.writeStringField(FINGERPRINT, fingerprint(uri, workload, violation));
    json.writeEndObject();
    json.writeObjectFieldStart("properties");
    json.writeStringField("field", violation.path());
    json.writeStringField("action", violation.action() == null ? null : violation.action().label());
    json.writeArrayFieldStart("containers");
    for (String container : violation.containers()) {
      json.writeString(container);
    }
    json.writeEndArray();
    json.writeArrayFieldStart("policies");
    for (String policy : violation.policies()) {
      json.writeString(policy);
    }
    json.writeEndArray();
    json.writeEndObject();
    json.writeEndObject();
  }

  /** Enforce denies: an error; Warn is shown to whoever applies it: a warning; Audit is only recorded: a note. */
  static String level(Violation violation) {
    if (violation.action() == null) {
      return "warning";
    }
    return switch (violation.action()) {
      case ENFORCE -> "error";
      case WARN -> "warning";
      case AUDIT -> "note";
    };
  }

  /**
   * A relative URI with forward slashes for a file under {@code base}, which is how GitHub finds it in the checkout;
   * an absolute {@code file:} URI for one outside; {@code stdin} for standard input, which has no file to point at.
   */
  static String uri(String source, Path base) {
    if (source.equals(ObjectResult.STDIN)) {
      return "stdin";
    }
    Path file = Path.of(source).toAbsolutePath().normalize();
    Path root = base.toAbsolutePath().normalize();
    if (!file.startsWith(root) || file.equals(root)) {
      return file.toUri().toASCIIString();
    }
    StringBuilder relative = new StringBuilder();
    for (Path name : root.relativize(file)) {
      relative.append(relative.isEmpty() ? "" : "/").append(name);
    }
    String path = relative.toString();
    String first = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
    if (first.contains(":")) {
      path = "./" + path; // or the segment would read as a URI scheme
    }
    try {
      return new URI(null, null, path, null).toASCIIString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("a relative path is a valid URI path: " + path, e);
    }
  }

  /**
   * What identifies an alert whatever the lines around it do: the file, the object and the field of the rule broken.
   * Line numbers stay out, so that an edit above a finding keeps it the same alert.
   */
  static String fingerprint(String uri, Workload workload, Violation violation) {
    String key = String.join("\0", uri, workload.kind(), String.valueOf(workload.namespace()),
        String.valueOf(workload.name()), violation.rule().id(), violation.path());
    return Sha256.hex(key);
  }
}
