package io.daemonguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daemonguard.Main;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;

/** Runs {@code daemonguard check} in-process and captures what it prints; plus fixture and JSON helpers. */
record CheckRun(int exitCode, String out, String err) {

  static final ObjectMapper JSON = new ObjectMapper();

  /** {@code daemonguard check ARGS...} through the real entry point, exactly as the jar runs it. */
  static CheckRun check(String... args) {
    String[] full = new String[args.length + 1];
    full[0] = "check";
    System.arraycopy(args, 0, full, 1, args.length);
    return run(Main.commandLine(), full);
  }

  /** {@code daemonguard check ARGS...} with {@code stdin} behind {@code -}. */
  static CheckRun checkWithStdin(String stdin, String... args) {
    CommandLine commandLine = new CommandLine(
        new CheckCommand().withStdin(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
    commandLine.getCommandSpec().exitCodeOnInvalidInput(2);
    commandLine.getCommandSpec().exitCodeOnExecutionException(2);
    return run(commandLine, args);
  }

  static CheckRun run(CommandLine commandLine, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exit = commandLine.execute(args);
    return new CheckRun(exit, out.toString(), err.toString());
  }

  /** stdout as the single JSON array {@code -o json} promises: fails on anything before or after it. */
  List<JsonNode> json() {
    try (JsonParser parser = JSON.createParser(out)) {
      JsonNode array = JSON.readTree(parser);
      assertThat(array).as("stdout of -o json:%n%s", out).isNotNull();
      assertThat(array.isArray()).as("stdout is one JSON array:%n%s", out).isTrue();
      assertThat(parser.nextToken()).as("nothing after the array in stdout:%n%s", out).isNull();
      List<JsonNode> elements = new ArrayList<>();
      array.forEach(elements::add);
      return elements;
    } catch (IOException e) {
      throw new AssertionError("stdout is not JSON: " + e.getMessage() + "\n" + out, e);
    }
  }

  /** The element of {@code -o json} output for the object named {@code name}; exactly one must exist. */
  JsonNode object(String name) {
    List<JsonNode> matching = json().stream().filter(o -> name.equals(o.path("name").textValue())).toList();
    assertThat(matching).as("objects named %s in%n%s", name, out).hasSize(1);
    return matching.get(0);
  }

  /** The lines of stderr, without blank ones. */
  List<String> errLines() {
    return err.lines().filter(l -> !l.isBlank()).toList();
  }

  /** A fixture under src/test/resources/cli, as a real file on disk. */
  static Path fixture(String name) {
    URL url = CheckRun.class.getResource("/cli/" + name);
    if (url == null) {
      throw new IllegalArgumentException("no fixture cli/" + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Copies a fixture file or directory tree into {@code target} (created), returning the copy. */
  static Path copy(String name, Path target) {
    Path source = fixture(name);
    try {
      if (!Files.isDirectory(source)) {
        Files.createDirectories(target.getParent());
        return Files.copy(source, target);
      }
      try (Stream<Path> walk = Files.walk(source)) {
        for (Path p : walk.toList()) {
          Path to = target.resolve(source.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(to);
          } else {
            Files.copy(p, to);
          }
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(String name) {
    try {
      return Files.readString(fixture(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Each violation of a JSON result flattened to {@code rule path container} for exact comparisons. */
  static List<String> violations(JsonNode result) {
    List<String> flat = new ArrayList<>();
    for (JsonNode v : result.path("violations")) {
      flat.add(v.path("rule").asText() + " " + v.path("path").asText() + " "
          + (v.path("container").isNull() ? "-" : v.path("container").asText()));
    }
    return flat;
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
  }
}
