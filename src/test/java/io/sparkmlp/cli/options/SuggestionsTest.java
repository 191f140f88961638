package io.sparkmlp.cli.options;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
  private static final List<String> NAMES = List.of("config", "data", "epochs", "lr", "hidden",
      "batch-size", "validation-fraction", "seed", "momentum");

  private static Optional<String> nearest(String unknown) {
    return Suggestions.nearest(unknown, NAMES);
  }

  @Test
  void optimalStringAlignmentDistance() {
    assertEquals(0, Suggestions.distance("lr", "lr"));
    assertEquals(1, Suggestions.distance("epoch", "epochs"), "one insertion");
    assertEquals(1, Suggestions.distance("hdiden", "hidden"), "one transposition");
    assertEquals(3, Suggestions.distance("kitten", "sitting"), "k→s, e→i, +g");
    // OSA may not edit a transposed pair again: ca → ac → abc would be 2 in full
    // Damerau–Levenshtein, OSA needs 3.
    assertEquals(3, Suggestions.distance("ca", "abc"));
    assertEquals(6, Suggestions.distance("", "epochs"));
  }

  @Test
  void eachTierFindsTheIntendedName() {
    assertEquals(Optional.of("batch-size"), nearest("Batch_Size"), "normalised equality");
    assertEquals(Optional.of("epochs"), nearest("epoch"), "edit distance");
    assertEquals(Optional.of("momentum"), nearest("momentun"), "edit distance");
    assertEquals(Optional.of("seed"), nearest("sede"), "transposition");
    assertEquals(Optional.of("lr"), nearest("learning-rate"), "initials of the unknown name");
    assertEquals(Optional.of("batch-size"), nearest("bs"), "initials of the declared name");
    assertEquals(Optional.of("validation-fraction"), nearest("val-frac"), "same initials");
    assertEquals(Optional.of("validation-fraction"), nearest("valid"), "prefix");
    assertEquals(Optional.of("epochs"), nearest("num-epochs"), "contains");
  }

  @Test
  void farOrTinyNamesGetNoSuggestion() {
    assertEquals(Optional.empty(), nearest("x"), "one letter matches nothing but itself");
    assertEquals(Optional.empty(), nearest("frobnicate"));
    assertEquals(Optional.empty(), nearest(""));
  }
}
