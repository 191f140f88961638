package io.sparkmlp.cli.options;

import java.util.Locale;
import java.util.Optional;

/**
 * Finds the declared option a user most likely meant by an unknown name, for "did you mean"
 * hints. Names are compared <em>normalised</em> (lower case, without {@code -} and {@code _}),
 * and a candidate matches in the first of these tiers that applies (earlier tiers win, then the
 * smaller distance, then declaration order):
 *
 * <ol>
 *   <li>equal when normalised: {@code batchsize}, {@code Batch_Size} → {@code batch-size};
 *   <li>optimal-string-alignment distance (Damerau–Levenshtein where a transposed pair counts
 *       as one edit) at most {@code max(2, len/3)}, and below {@code len}, {@code len} being the
 *       unknown normalised name's length: {@code epoch} → {@code epochs}, {@code hiden} →
 *       {@code hidden}, {@code lr} never for {@code x};
 *   <li>initials: {@code learning-rate} → {@code lr}, {@code bs} → {@code batch-size},
 *       {@code val-frac} → {@code validation-fraction};
 *   <li>one name a prefix of the other (the shorter at least 2 characters) or contained in it
 *       (at least 3): {@code valid} → {@code validation-fraction}, {@code num-epochs} →
 *       {@code epochs}; among these the closer length wins.
 * </ol>
 */
final class Suggestions {
  private static final int NO_MATCH = Integer.MAX_VALUE;

  private Suggestions() {}

  /** The best match for {@code unknown} among {@code names}, if any tier matches. */
  static Optional<String> nearest(String unknown, Iterable<String> names) {
    String best = null;
    int bestScore = NO_MATCH;
    for (String name : names) {
      int score = score(unknown, name);
      if (score < bestScore) {
        best = name;
        bestScore = score;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Lower is better: tier × 1000 + distance within the tier; {@link #NO_MATCH} if none. */
  private static int score(String unknown, String name) {
    String u = normalise(unknown);
    String n = normalise(name);
    if (u.equals(n)) {
      return 0;
    }
    int d = distance(u, n);
    if (d <= Math.max(2, u.length() / 3) && d < u.length()) {
      return 1000 + d;
    }
    String ui = initials(unknown);
    String ni = initials(name);
    boolean byUnknownInitials = ui.length() > 1 && (ui.equals(n) || ui.equals(ni));
    if (byUnknownInitials || (ni.length() > 1 && ni.equals(u))) {
      return 2000;
    }
    int shorter = Math.min(u.length(), n.length());
    boolean prefix = shorter >= 2 && (u.startsWith(n) || n.startsWith(u));
    boolean contained = shorter >= 3 && (u.contains(n) || n.contains(u));
    return prefix || contained ? 3000 + Math.abs(u.length() - n.length()) : NO_MATCH;
  }

  private static String normalise(String name) {
    return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
  }

  /** First letters of the words of a {@code -}/{@code _}-separated name; "" for one word. */
  private static String initials(String name) {
    String[] words = name.toLowerCase(Locale.ROOT).split("[-_]+");
    if (words.length < 2) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (String w : words) {
      if (!w.isEmpty()) {
        sb.append(w.charAt(0));
      }
    }
    return sb.toString();
  }

  /**
   * Optimal string alignment distance: insertions, deletions, substitutions and transpositions
   * of adjacent characters each cost 1, no substring edited twice. Three rolling rows.
   */
  static int distance(String a, String b) {
    int[] prev2 = new int[b.length() + 1];
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          cur[j] = Math.min(cur[j], prev2[j - 2] + 1);
        }
      }
      int[] t = prev2;
      prev2 = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
