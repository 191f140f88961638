package io.sparkmlp.data;

import java.nio.charset.StandardCharsets;

/**
 * Parses decimal numbers straight from the bytes of a text line, without a String per value.
 *
 * <p>Why: a million-row CSV has hundreds of millions of fields; {@code Double.parseDouble} on a
 * fresh String for each dominates loading. Most data values have at most 18 significant digits and
 * a small decimal exponent; for those, with the digits as an exact integer {@code m < 2^53} and
 * {@code 10^k} exact ({@code k <= 22}), one IEEE division or multiplication gives the correctly
 * rounded result, bit-identical to {@code Double.parseDouble} (Clinger's fast path). Anything
 * else falls back to {@code Double.parseDouble}.
 *
 * <p>Accepted syntax: {@code [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?}. Hex
 * floats, type suffixes ({@code 1f}, {@code 2d}) and embedded blanks are rejected.
 */
final class NumberParser {
  /** Returned for text that is not a number. */
  static final double NOT_A_NUMBER = Double.NaN;
  /** Returned for {@code NaN}, {@code Infinity} spelled out, or a value that overflows. */
  static final double NOT_FINITE = Double.POSITIVE_INFINITY;

  private static final double[] POW10 = new double[23];
  private static final long MAX_EXACT = 1L << 53;

  static {
    double p = 1.0;
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = p;
      p *= 10.0;
    }
  }

  private NumberParser() {}

  /**
   * Parses {@code b[from, to)}. Returns the value (finite), {@link #NOT_A_NUMBER} (NaN) for bad
   * syntax, or {@link #NOT_FINITE} (+Infinity) for a NaN/Infinity literal or an overflowing value;
   * callers test {@code Double.isFinite} first and tell the two errors apart with
   * {@code Double.isNaN}. Negative zero is returned as +0.0 so the same value always has the same
   * bits.
   */
  static double parse(byte[] b, int from, int to) {
    int i = from;
    if (i >= to) {
      return NOT_A_NUMBER;
    }
    boolean neg = false;
    if (b[i] == '-' || b[i] == '+') {
      neg = b[i] == '-';
      i++;
    }
    long m = 0;
    int sig = 0;
    int digits = 0;
    int dropped = 0;
    int frac = 0;
    boolean dot = false;
    for (; i < to; i++) {
      int c = b[i];
      if (c >= '0' && c <= '9') {
        digits++;
        if (dot) {
          frac++;
        }
        if (m == 0 && c == '0') {
          continue;
        }
        if (sig < 18) {
          m = m * 10 + (c - '0');
          sig++;
        } else {
          dropped++;
        }
      } else if (c == '.' && !dot) {
        dot = true;
      } else {
        break;
      }
    }
    if (digits == 0) {
      return isNonFiniteLiteral(b, from, to) ? NOT_FINITE : NOT_A_NUMBER;
    }
    long exp = 0;
    if (i < to) {
      if (b[i] != 'e' && b[i] != 'E') {
        return NOT_A_NUMBER;
      }
      i++;
      boolean eneg = false;
      if (i < to && (b[i] == '-' || b[i] == '+')) {
        eneg = b[i] == '-';
        i++;
      }
      if (i >= to) {
        return NOT_A_NUMBER;
      }
      for (; i < to; i++) {
        int c = b[i];
        if (c < '0' || c > '9') {
          return NOT_A_NUMBER;
        }
        if (exp < 100_000) {
          exp = exp * 10 + (c - '0');
        }
      }
      if (eneg) {
        exp = -exp;
      }
    }
    double v;
    if (m == 0) {
      v = 0.0;
    } else {
      // Value = m * 10^(exp - frac); dropped digits (beyond 18 significant) need the slow path.
      long pow = exp - frac;
      if (dropped == 0 && m < MAX_EXACT && pow >= -22 && pow <= 22) {
        v = pow < 0 ? m / POW10[(int) -pow] : m * POW10[(int) pow];
      } else {
        v = Double.parseDouble(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
        if (!Double.isFinite(v)) {
          return NOT_FINITE;
        }
        return v + 0.0;
      }
    }
    return neg ? -v + 0.0 : v;
  }

  /** Parses a whole string (used for values that are not in a byte buffer, e.g. in tests). */
  static double parse(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return parse(b, 0, b.length);
  }

  private static boolean isNonFiniteLiteral(byte[] b, int from, int to) {
    String s = new String(b, from, to - from, StandardCharsets.ISO_8859_1).toLowerCase();
    if (s.startsWith("+") || s.startsWith("-")) {
      s = s.substring(1);
    }
    return s.equals("nan") || s.equals("inf") || s.equals("infinity");
  }
}
