package io.sparkmlp.train;

import io.sparkmlp.nn.Named;
import java.io.Serializable;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The values a {@link Setting} takes. Each kind knows its allowed range or values, checks a value
 * and names it when it is not allowed, and writes it as canonical text: what job files, model
 * metadata and checkpoints hold, and what the command line reads back. The command line
 * ({@code cli.SettingOptions}) and the Spark ML Params ({@code ml.MlpParamSet}) each translate
 * the kinds into their own once; a setting never spells out its rules twice.
 */
public sealed interface SettingType<T> extends Serializable {

  /**
   * Accepts {@code value} or throws {@link IllegalArgumentException} naming it:
   * {@code "LABEL must be RULE, got VALUE"}.
   */
  void check(String label, T value);

  /** The canonical text of an allowed value (its {@code toString} unless a kind says otherwise). */
  default String format(T value) {
    return value.toString();
  }

  /**
   * What is allowed, for documentation: {@code >= 1}, {@code in [0, 1)}, {@code one of relu,
   * tanh}; empty (the default) when anything of the type is.
   */
  default String rule() {
    return "";
  }

  /** A copy the caller may keep (arrays are copied, everything else is immutable). */
  default T copy(T value) {
    return value;
  }

  /** An {@code int >= min}. */
  record Whole(int min) implements SettingType<Integer> {
    @Override
    public void check(String label, Integer value) {
      if (value == null || value < min) {
        throw new IllegalArgumentException(label + " must be " + rule() + ", got " + value);
      }
    }


    @Override
    public String rule() {
      return ">= " + min;
    }
  }

  /** Any {@code long}, such as a seed. */
  record AnyLong() implements SettingType<Long> {
    @Override
    public void check(String label, Long value) {
      if (value == null) {
        throw new IllegalArgumentException(label + " must be an integer, got null");
      }
    }
  }

  /**
   * A finite {@code double} between {@code low} and {@code high}, each bound closed or open; an
   * infinite bound leaves that side open-ended.
   */
  record Real(double low, boolean lowClosed, double high, boolean highClosed)
      implements SettingType<Double> {
    /** {@code >= low}. */
    public static Real atLeast(double low) {
      return new Real(low, true, Double.POSITIVE_INFINITY, false);
    }

    /** {@code > low}. */
    public static Real above(double low) {
      return new Real(low, false, Double.POSITIVE_INFINITY, false);
    }

    /** Between {@code low} and {@code high}. */
    public static Real within(double low, boolean lowClosed, double high, boolean highClosed) {
      return new Real(low, lowClosed, high, highClosed);
    }

    /**
     * Whether {@code x} is in the range, where an infinite bound checks nothing: {@code +∞} is in
     * {@code > 0}, as in Spark's {@code ParamValidators.gt(0)}; {@link #check} also wants a
     * finite value.
     */
    public boolean contains(double x) {
      boolean aboveLow = Double.isInfinite(low) || (lowClosed ? x >= low : x > low);
      return aboveLow && (Double.isInfinite(high) || (highClosed ? x <= high : x < high));
    }

    @Override
    public void check(String label, Double value) {
      if (value == null || !Double.isFinite(value) || !contains(value)) {
        throw new IllegalArgumentException(label + " must be " + rule() + ", got " + value);
      }
    }


    @Override
    public String rule() {
      if (Double.isInfinite(high)) {
        return (lowClosed ? ">= " : "> ") + number(low);
      }
      return "in " + (lowClosed ? "[" : "(") + number(low) + ", " + number(high)
          + (highClosed ? "]" : ")");
    }

    private static String number(double x) {
      return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
    }
  }

  /** {@code true} or {@code false}. */
  record Flag() implements SettingType<Boolean> {
    @Override
    public void check(String label, Boolean value) {
      if (value == null) {
        throw new IllegalArgumentException(label + " must be true or false, got null");
      }
    }
  }

  /** A constant of the enum {@code type}, written as its {@link Named#optionName()}. */
  record OneOf<E extends Enum<E> & Named>(Class<E> type) implements SettingType<E> {
    @Override
    public void check(String label, E value) {
      if (value == null) {
        throw new IllegalArgumentException(label + " must be "
            + Named.alternatives(Named.names(type)) + ", got null");
      }
    }

    @Override
    public String format(E value) {
      return value.optionName();
    }

    @Override
    public String rule() {
      return "one of " + String.join(", ", Named.names(type));
    }

    /** The constant named {@code text} ({@link Named#parse}). */
    public E parse(String what, String text) {
      return Named.parse(type, what, text);
    }
  }

  /** A possibly empty list of {@code int}s, each {@code >= min}: layer sizes. */
  record Sizes(int min) implements SettingType<int[]> {
    @Override
    public void check(String label, int[] value) {
      if (value == null || Arrays.stream(value).anyMatch(v -> v < min)) {
        throw new IllegalArgumentException(label + " must be >= " + min + ", got "
            + Arrays.toString(value));
      }
    }

    @Override
    public String format(int[] value) {
      return Arrays.stream(value).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    @Override
    public String rule() {
      return "each >= " + min;
    }

    @Override
    public int[] copy(int[] value) {
      return value == null ? null : value.clone();
    }
  }

  /**
   * A count {@code >= min}, or {@link #ALL} for "all of them", which users write as
   * {@code keyword}: {@code --batch-size full}.
   */
  record CountOrAll(int min, String keyword) implements SettingType<Integer> {
    /** The value meaning "all": the keyword on the command line, 0 in a Spark ML Param. */
    public static final int ALL = 0;

    @Override
    public void check(String label, Integer value) {
      if (value == null || value != ALL && value < min) {
        throw new IllegalArgumentException(label + " must be >= " + min + " (or " + keyword
            + "), got " + value);
      }
    }

    @Override
    public String format(Integer value) {
      return value == ALL ? keyword : value.toString();
    }

    @Override
    public String rule() {
      return ">= " + min + ", or " + ALL + " for " + keyword;
    }
  }

  /** A column's name in the data; optional, so a setting of this type has no default. */
  record ColumnName() implements SettingType<String> {
    @Override
    public void check(String label, String value) {
      if (value != null && value.isBlank()) {
        throw new IllegalArgumentException(label + " must be a column name, got '" + value + "'");
      }
    }

    @Override
    public String format(String value) {
      return value;
    }
  }

  /** A path on any Hadoop file system; optional, so a setting of this type has no default. */
  record FilePath() implements SettingType<String> {
    @Override
    public void check(String label, String value) {
      if (value != null && value.isEmpty()) {
        throw new IllegalArgumentException(label + " must be a non-empty path, got ''");
      }
    }

    @Override
    public String format(String value) {
      return value;
    }
  }
}
