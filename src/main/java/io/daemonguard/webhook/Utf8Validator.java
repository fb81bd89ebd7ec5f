package io.daemonguard.webhook;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 (RFC 3629) as JSON text must be: no overlong forms, no encoded surrogates, nothing beyond U+10FFFF, no
 * truncated sequence, and no NUL. Jackson alone would read overlong forms ({@code C0 AF} as '/'), encoded surrogates,
 * and UTF-16 or UTF-32 bodies; {@link AdmissionReviewCodec#decode} runs this before parsing.
 */
final class Utf8Validator {

  /** Eight bytes of an array as one long, at any offset (the JIT makes it one unaligned load). */
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Utf8Validator() {}

  /**
   * The offset, counted from {@code offset}, of the first of the {@code length} bytes from {@code offset} that is not
   * strict UTF-8 or is a NUL (never part of JSON text); -1 when there is none.
   */
  static int firstInvalid(byte[] bytes, int offset, int length) {
    int i = offset;
    int end = offset + length;
    while (i < end) {
      // eight bytes at a time while they are all ASCII and none is NUL: most of any Kubernetes object
      if (i + 8 <= end) {
        long word = (long) LONGS.get(bytes, i);
        if (((word | (word - 0x0101010101010101L)) & 0x8080808080808080L) == 0) {
          i += 8;
          continue;
        }
      }
      int b = bytes[i];
      if (b > 0) {
        i++;
        continue;
      }
      if (b == 0) {
        return i - offset;
      }
      b &= 0xFF;
      int continuations;
      int low = 0x80;
      int high = 0xBF;
      if (b >= 0xC2 && b <= 0xDF) {
        continuations = 1;
      } else if (b >= 0xE0 && b <= 0xEF) {
        continuations = 2;
        low = b == 0xE0 ? 0xA0 : 0x80;
        high = b == 0xED ? 0x9F : 0xBF;
      } else if (b >= 0xF0 && b <= 0xF4) {
        continuations = 3;
        low = b == 0xF0 ? 0x90 : 0x80;
        high = b == 0xF4 ? 0x8F : 0xBF;
      } else {
        return i - offset;
      }
      if (i + continuations >= end) {
        return i - offset;
      }
      int second = bytes[i + 1] & 0xFF;
      if (second < low || second > high) {
        return i - offset;
      }
      for (int k = 2; k <= continuations; k++) {
        int next = bytes[i + k] & 0xFF;
        if (next < 0x80 || next > 0xBF) {
          return i - offset;
        }
      }
      i += continuations + 1;
    }
    return -1;
  }
}
