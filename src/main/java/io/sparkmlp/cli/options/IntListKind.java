package io.sparkmlp.cli.options;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A comma-separated list of integers of the {@code element} kind, such as hidden-layer sizes
 * {@code 256,128}; blanks around elements are ignored. The empty text is the empty list when
 * {@code allowEmpty} (e.g. a network without hidden layers). The value is an {@code int[]}.
 */
record IntListKind(IntKind element, boolean allowEmpty) implements ValueKind {
  @Override
  public Object parse(String text) {
    if (text.isBlank()) {
      return allowEmpty ? new int[0] : null;
    }
    String[] parts = text.split(",", -1);
    int[] values = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      Object v = element.parse(parts[i].strip());
      if (v == null) {
        return null;
      }
      values[i] = (Integer) v;
    }
    return values;
  }

  @Override
  public String format(Object value) {
    return Arrays.stream((int[]) value).mapToObj(Integer::toString)
        .collect(Collectors.joining(","));
  }

  @Override
  public String expected() {
    return (allowEmpty ? "a possibly empty " : "a ") + "comma-separated list of integers"
        + element.bounds();
  }

  @Override
  public String metavar() {
    return "N,N,...";
  }
}
