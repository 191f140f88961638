package io.sparkmlp.cli.options;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One of a fixed list of names, matched ignoring letter case; the value is the declared
 * spelling, so {@code --activation ReLU} yields {@code relu}.
 */
record ChoiceKind(List<String> allowed) implements ValueKind {
  ChoiceKind {
    allowed = List.copyOf(allowed);
    if (allowed.isEmpty()) {
      throw new IllegalArgumentException("a choice needs at least one allowed value");
    }
    Set<String> seen = new HashSet<>();
    for (String a : allowed) {
      if (a.isBlank() || !seen.add(a.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "choice values must be non-blank and distinct ignoring case, got " + allowed);
      }
    }
  }

  @Override
  public Object parse(String text) {
    for (String a : allowed) {
      if (a.equalsIgnoreCase(text)) {
        return a;
      }
    }
    return null;
  }

  @Override
  public String format(Object value) {
    return (String) value;
  }

  @Override
  public String expected() {
    return "one of " + String.join(", ", allowed);
  }

  @Override
  public String metavar() {
    return "NAME";
  }
}
