package io.daemonguard.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * {@code --output-file}: a report written whole or not at all. It is written beside its destination under a temporary
 * name and then renamed over it, so that a CI step reading the file never sees half a report, and a failed write
 * leaves whatever was there before.
 */
final class OutputFile {
  private OutputFile() {}

  /** Thrown with a message that names the file and says why it could not be written. */
  static final class WriteException extends Exception {
    WriteException(String message) {
      super(message);
    }
  }

  static void write(Path file, Consumer<PrintWriter> report) throws WriteException {
    if (Files.isDirectory(file)) {
      throw new WriteException(file + ": cannot write the report: is a directory");
    }
    Path target = file.toAbsolutePath();
    Path directory = target.getParent();
    // not Files.createTempFile: its owner-only permissions would stick to the report; CREATE_NEW honours the umask
    Path temporary = directory.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(
          Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          StandardCharsets.UTF_8)))) {
        report.accept(out);
        out.flush();
        if (out.checkError()) {
          throw new IOException("write failed");
        }
      }
      try {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(temporary);
      } catch (IOException ignored) {
        // the report's own error says what matters; a leftover temporary file is named like a hidden one
      }
      throw new WriteException(file + ": cannot write the report: " + reason(e, directory));
    }
  }

  private static String reason(Exception e, Path directory) {
    if (e instanceof NoSuchFileException) {
      return Files.exists(directory) ? "no such file or directory" : "no such directory " + directory;
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
