package io.sparkmlp.blas;

import java.nio.charset.StandardCharsets;

/** Byte-array helpers for the binary formats read here (ELF, the dynamic linker's cache). */
final class Bytes {
  private Bytes() {}

  /** The first index of {@code needle} in {@code haystack} from {@code from}, or -1. */
  static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The NUL-terminated string at {@code offset} (empty when the offset is out of range). */
  static String cString(byte[] table, int offset) {
    if (offset < 0 || offset >= table.length) {
      return "";
    }
    int end = offset;
    while (end < table.length && table[end] != 0) {
      end++;
    }
    return new String(table, offset, end - offset, StandardCharsets.UTF_8);
  }
}
