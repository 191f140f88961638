package io.sparkmlp.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The fingerprint of a data set: the hex SHA-256 of a canonical text that describes it (file
 * paths, sizes and times; or a DataFrame's columns, row counts and first rows). Checkpoints
 * record it, so a resume notices when the data may have changed.
 */
final class Fingerprint {
  private Fingerprint() {}

  /** Hex SHA-256 of {@code canonical}'s UTF-8 bytes. */
  static String of(CharSequence canonical) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
