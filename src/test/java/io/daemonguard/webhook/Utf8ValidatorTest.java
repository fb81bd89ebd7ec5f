package io.daemonguard.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.daemonguard.StrictUtf8;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The webhook's UTF-8 check, against known sequences and against the JDK's strict decoder ({@link StrictUtf8}). */
class Utf8ValidatorTest {

  private static int firstInvalid(byte[] bytes) {
    return Utf8Validator.firstInvalid(bytes, 0, bytes.length);
  }

  private static byte[] hex(String hex) {
    String digits = hex.replace(" ", "");
    byte[] bytes = new byte[digits.length() / 2];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
    }
    return bytes;
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
      "'', nothing",
      "41, ASCII",
      "7F, DEL",
      "C2 80, U+0080 the smallest two-byte form",
      "C3 A9, é",
      "DF BF, U+07FF",
      "E0 A0 80, U+0800 the smallest three-byte form",
      "E2 82 AC, €",
      "ED 9F BF, U+D7FF below the surrogates",
      "EE 80 80, U+E000 above the surrogates",
      "EF BB BF, a byte order mark (U+FEFF is a character)",
      "EF BF BF, U+FFFF",
      "F0 90 80 80, U+10000 the smallest four-byte form",
      "F0 9F 98 80, an emoji",
      "F4 8F BF BF, U+10FFFF the last code point"})
  void acceptsStrictUtf8(String hex, String what) {
    assertThat(firstInvalid(hex(hex))).isEqualTo(-1);
  }

  @ParameterizedTest(name = "{0}: {2}")
  @CsvSource({
      "00, 0, NUL",
      "C0 AF, 0, overlong '/'",
      "C1 BF, 0, overlong two-byte form",
      "E0 80 AF, 0, overlong '/' in three bytes",
      "E0 9F BF, 0, overlong three-byte form",
      "ED A0 80, 0, an encoded surrogate (U+D800)",
      "ED BF BF, 0, an encoded surrogate (U+DFFF)",
      "F0 8F BF BF, 0, overlong four-byte form",
      "F4 90 80 80, 0, beyond U+10FFFF",
      "F5 80 80 80, 0, a lead byte beyond U+10FFFF",
      "F8 88 80 80 80, 0, a five-byte form",
      "80, 0, a stray continuation byte",
      "BF, 0, a stray continuation byte",
      "FE FF, 0, a UTF-16 byte order mark",
      "FF, 0, FF",
      "C3, 0, a truncated two-byte form",
      "E2 82, 0, a truncated three-byte form",
      "F0 9F 98, 0, a truncated four-byte form",
      "C3 41, 0, a lead byte followed by ASCII",
      "E2 41 AC, 0, a three-byte form with ASCII second",
      "E2 82 41, 0, a three-byte form with ASCII third",
      "F0 9F 98 41, 0, a four-byte form with ASCII fourth",
      "E2 82 C3 A9, 0, a three-byte form with a lead byte third",
      "41 42 C3 A9 00, 4, NUL after a valid character",
      "41 C3 A9 E2 82 AC F0 9F 98 80 FF, 10, FF after valid characters"})
  void refusesAtTheFirstBadByte(String hex, int at, String what) {
    assertThat(firstInvalid(hex(hex))).isEqualTo(at);
  }

  @Test
  void findsANulOrANonAsciiByteAtEveryPlaceOfAnEightByteWord() {
    for (int length = 1; length <= 24; length++) {
      for (int at = 0; at < length; at++) {
        byte[] bytes = "a".repeat(length).getBytes(StandardCharsets.US_ASCII);
        bytes[at] = 0;
        assertThat(firstInvalid(bytes)).as("NUL at %d of %d", at, length).isEqualTo(at);
        bytes[at] = (byte) 0x80;
        assertThat(firstInvalid(bytes)).as("0x80 at %d of %d", at, length).isEqualTo(at);
        bytes[at] = (byte) 0xFF;
        assertThat(firstInvalid(bytes)).as("0xFF at %d of %d", at, length).isEqualTo(at);
        bytes[at] = 0x7F;
        assertThat(firstInvalid(bytes)).as("DEL at %d of %d", at, length).isEqualTo(-1);
      }
    }
  }

  @Test
  void readsOnlyTheBytesItIsGivenAndCountsFromTheirStart() {
    byte[] bytes = hex("FF 41 C3 A9 42 FF");
    assertThat(Utf8Validator.firstInvalid(bytes, 1, 4)).isEqualTo(-1);
    assertThat(Utf8Validator.firstInvalid(bytes, 1, 5)).isEqualTo(4);
    assertThat(Utf8Validator.firstInvalid(bytes, 0, 6)).isEqualTo(0);
    assertThat(Utf8Validator.firstInvalid(bytes, 6, 0)).isEqualTo(-1);
    // a sequence cut by the end of the range is truncated, even when the array goes on
    assertThat(Utf8Validator.firstInvalid(bytes, 1, 2)).isEqualTo(1);
    byte[] word = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    word[12] = 0;
    assertThat(Utf8Validator.firstInvalid(word, 3, 9)).isEqualTo(-1);
    assertThat(Utf8Validator.firstInvalid(word, 3, 10)).isEqualTo(9);
  }

  /**
   * Every one- and two-byte sequence, and the three- and four-byte ones with every lead and second byte and the edges
   * of the continuation range after, against the JDK: each alone, and among ASCII, inside and across eight-byte words.
   */
  @Test
  void agreesWithTheJdkDecoder() {
    for (int a = 0; a < 256; a++) {
      check(new byte[] {(byte) a});
      for (int b = 0; b < 256; b++) {
        check(new byte[] {(byte) a, (byte) b});
      }
    }
    // past the second byte only the edges of the continuation range matter
    int[] edges = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
    for (int a = 0xE0; a <= 0xEF; a++) {
      for (int b = 0; b < 256; b++) {
        for (int c : edges) {
          check(new byte[] {(byte) a, (byte) b, (byte) c});
        }
      }
    }
    for (int a = 0xF0; a <= 0xF8; a++) {
      for (int b = 0; b < 256; b++) {
        for (int c : edges) {
          for (int d : edges) {
            check(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
          }
        }
      }
    }
  }

  /** Plain comparisons, and AssertJ only to say what differs: a quarter of a million of its descriptions took 10 s. */
  private static void check(byte[] sequence) {
    boolean valid = AdmissionReviewFuzzTest.isStrictUtf8WithoutNul(sequence);
    if ((firstInvalid(sequence) < 0) != valid) {
      assertThat(firstInvalid(sequence) < 0).as("%s", Arrays.toString(sequence)).isEqualTo(valid);
    }
    for (int before : new int[] {1, 7}) {
      byte[] padded = new byte[before + sequence.length + 9];
      Arrays.fill(padded, (byte) 'x');
      System.arraycopy(sequence, 0, padded, before, sequence.length);
      int at = firstInvalid(padded);
      if (valid ? at != -1 : at < before || at >= before + sequence.length) {
        fail("%s after %d ASCII bytes: %d, expected %s", Arrays.toString(sequence), before, at,
            valid ? "-1" : "an offset within the sequence");
      }
    }
  }
}
