package io.sparkmlp.nn;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Formats the option names of the engine's enums for error messages. */
final class Names {
  private Names() {}

  static String join(Enum<?>[] values) {
    return Arrays.stream(values)
        .map(v -> v.name().toLowerCase(java.util.Locale.ROOT))
        .collect(Collectors.joining(", "));
  }
}
