package io.sparkmlp.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * MSE, RMSE, MAE and R² of a regressor with {@code numTargets} outputs, per target and averaged,
 * as a mergeable accumulator: each Spark partition fills one with {@link #add} on an executor,
 * the driver {@link #merge}s them in partition order.
 *
 * <p>Definitions (matching scikit-learn 1.2), for target j over n rows with errors
 * {@code e = y − ŷ}:
 *
 * <ul>
 *   <li>{@code mse(j) = Σe²/n}, {@code rmse(j) = √mse(j)}, {@code mae(j) = Σ|e|/n};
 *   <li>{@code r2(j) = 1 − SSE/SST} with {@code SSE = Σe²} and {@code SST = Σ(y − ȳ)²}; as
 *       {@code sklearn.metrics.r2_score}: 1.0 when SSE = 0 (also for a constant target), 0.0
 *       when SST = 0 but SSE &gt; 0, and NaN with fewer than 2 rows;
 *   <li>the overall {@link #mse()}, {@link #rmse()}, {@link #mae()}, {@link #r2()} are unweighted
 *       means over targets ({@code multioutput='uniform_average'}); so {@code rmse()} is the
 *       mean of the per-target RMSEs, not {@code √mse()}.
 * </ul>
 *
 * <p>SST comes from <em>shifted</em> sums: with {@code K} the first target value an accumulator
 * sees, keep {@code S1 = Σ(y − K)} and {@code S2 = Σ(y − K)²}; then {@code SST = S2 − S1²/n}.
 * Plain {@code Σy² − (Σy)²/n} cancels catastrophically when the mean is large against the spread
 * (for {@code 1e6 ± 1} it loses ~12 digits); shifting by a typical value removes that, leaving a
 * relative error of about {@code ε·(1 + (ȳ − K)²/σ²)}. Welford's running mean was rejected: its
 * per-row rounding of {@code ȳ} (an ulp of {@code ȳ}) enters SST at first order, ~2.5e-11
 * relative on the {@code 1e6 ± 1} golden case, against ~2e-15 here. A merge re-shifts the other
 * side's sums to this side's {@code K}: with {@code s = K_b − K_a},
 * {@code S1 += S1_b + n_b·s} and {@code S2 += S2_b + s·(2·S1_b + n_b·s)}. A constant target
 * gives exactly {@code SST = 0}, so the SST = 0 rule applies. The row count is an exact
 * {@code long}; double sums follow merge order. Without rows every metric is NaN, and a NaN
 * target or prediction makes its target's metrics NaN.
 *
 * <p>Sample weights ({@link #add(double[], int, double[], int, double)}): every sum takes each
 * row's terms times its weight {@code w} and {@code n} becomes {@code W = Σw}, as MLlib's
 * {@code RegressionEvaluator} with {@code weightCol} and scikit-learn's {@code sample_weight}:
 * {@code mse(j) = Σw·e²/W}, {@code mae(j) = Σw·|e|/W}, {@code SST = Σw·(y − ȳ_w)²} with the
 * weighted mean {@code ȳ_w}. Unweighted rows weigh 1, so the figures are exactly the plain ones.
 */
public final class RegressionMetrics implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int numTargets;
  private long count;
  /** The rows' weights' sum (the row count when every row weighs 1). */
  private double weightSum;
  private boolean weighted;
  private final double[] sumSquaredError;
  private final double[] sumAbsoluteError;
  /** K per target: the first target value seen. */
  private final double[] shift;
  /** Σ(y − K) per target. */
  private final double[] sumShifted;
  /** Σ(y − K)² per target. */
  private final double[] sumShiftedSquares;

  public RegressionMetrics(int numTargets) {
    if (numTargets < 1) {
      throw new IllegalArgumentException("numTargets must be >= 1, got " + numTargets);
    }
    this.numTargets = numTargets;
    this.sumSquaredError = new double[numTargets];
    this.sumAbsoluteError = new double[numTargets];
    this.shift = new double[numTargets];
    this.sumShifted = new double[numTargets];
    this.sumShiftedSquares = new double[numTargets];
  }

  /**
   * Adds one row: predictions {@code predictions[pOffset .. pOffset + numTargets)} for targets
   * {@code targets[tOffset .. tOffset + numTargets)}.
   *
   * @throws IndexOutOfBoundsException if a row does not fit in its array
   */
  public void add(double[] predictions, int pOffset, double[] targets, int tOffset) {
    addRow(predictions, pOffset, targets, tOffset, 1.0);
  }

  /**
   * Adds one row of sample weight {@code weight} (finite, {@code >= 0}): as {@link #add} with
   * each of its terms times the weight.
   */
  public void add(double[] predictions, int pOffset, double[] targets, int tOffset,
      double weight) {
    if (!(weight >= 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("sample weight must be finite and >= 0, got " + weight);
    }
    weighted = true;
    addRow(predictions, pOffset, targets, tOffset, weight);
  }

  private void addRow(double[] predictions, int pOffset, double[] targets, int tOffset,
      double w) {
    Objects.checkFromIndexSize(pOffset, numTargets, predictions.length);
    Objects.checkFromIndexSize(tOffset, numTargets, targets.length);
    boolean first = count == 0;
    count++;
    weightSum += w;
    for (int j = 0; j < numTargets; j++) {
      double y = targets[tOffset + j];
      double e = y - predictions[pOffset + j];
      sumSquaredError[j] += w * (e * e);
      sumAbsoluteError[j] += w * Math.abs(e);
      if (first) {
        shift[j] = y;
      }
      double d = y - shift[j];
      sumShifted[j] += w * d;
      sumShiftedSquares[j] += w * (d * d);
    }
  }

  /**
   * Adds {@code other}'s rows to this one's and returns this.
   *
   * @throws IllegalArgumentException if the target counts differ
   */
  public RegressionMetrics merge(RegressionMetrics other) {
    if (other.numTargets != numTargets) {
      throw new IllegalArgumentException("cannot merge metrics of " + other.numTargets
          + " targets into metrics of " + numTargets + " targets");
    }
    double nb = other.weightSum;
    for (int j = 0; j < numTargets; j++) {
      sumSquaredError[j] += other.sumSquaredError[j];
      sumAbsoluteError[j] += other.sumAbsoluteError[j];
      if (count == 0) {
        shift[j] = other.shift[j];
        sumShifted[j] = other.sumShifted[j];
        sumShiftedSquares[j] = other.sumShiftedSquares[j];
      } else if (other.count > 0) {
        double s = other.shift[j] - shift[j];
        sumShiftedSquares[j] += other.sumShiftedSquares[j] + s * (2 * other.sumShifted[j] + nb * s);
        sumShifted[j] += other.sumShifted[j] + nb * s;
      }
    }
    count += other.count;
    weightSum += other.weightSum;
    weighted |= other.weighted;
    return this;
  }

  public int numTargets() {
    return numTargets;
  }

  /** Rows added. */
  public long count() {
    return count;
  }

  /** The sum of the rows' sample weights: {@link #count()} when every row weighs 1. */
  public double weightSum() {
    return weightSum;
  }

  /** Whether rows were added with sample weights. */
  public boolean weighted() {
    return weighted;
  }

  public double mse(int j) {
    return sumSquaredError[Objects.checkIndex(j, numTargets)] / weightSum;
  }

  public double rmse(int j) {
    return Math.sqrt(mse(j));
  }

  public double mae(int j) {
    return sumAbsoluteError[Objects.checkIndex(j, numTargets)] / weightSum;
  }

  /** {@code 1 − SSE/SST}, with scikit-learn's rules for SSE = 0, SST = 0 and n &lt; 2. */
  public double r2(int j) {
    double sse = sumSquaredError[Objects.checkIndex(j, numTargets)];
    if (count < 2) {
      return Double.NaN;
    }
    if (sse == 0) {
      return 1.0;
    }
    double sst = sst(j);
    return sst == 0 ? 0.0 : 1.0 - sse / sst;
  }

  /** {@code S2 − S1²/W}, clamped at 0: rounding must not turn a zero SST negative. */
  private double sst(int j) {
    return Math.max(0.0, sumShiftedSquares[j] - sumShifted[j] * sumShifted[j] / weightSum);
  }

  /** Mean of {@link #mse(int)} over targets. */
  public double mse() {
    double sum = 0;
    for (int j = 0; j < numTargets; j++) {
      sum += mse(j);
    }
    return sum / numTargets;
  }

  /** Mean of {@link #rmse(int)} over targets (not the root of {@link #mse()}). */
  public double rmse() {
    double sum = 0;
    for (int j = 0; j < numTargets; j++) {
      sum += rmse(j);
    }
    return sum / numTargets;
  }

  /** Mean of {@link #mae(int)} over targets. */
  public double mae() {
    double sum = 0;
    for (int j = 0; j < numTargets; j++) {
      sum += mae(j);
    }
    return sum / numTargets;
  }

  /** Mean of {@link #r2(int)} over targets. */
  public double r2() {
    double sum = 0;
    for (int j = 0; j < numTargets; j++) {
      sum += r2(j);
    }
    return sum / numTargets;
  }

  /**
   * The metrics as JSON: {@code rows}, the averages {@code mse}, {@code rmse}, {@code mae},
   * {@code r2}, and {@code per_target} (array of {@code {name, mse, rmse, mae, r2}}). NaN
   * metrics are written as {@code null}.
   */
  public ObjectNode toJson(String[] targetNames) {
    checkNames(targetNames);
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("rows", count);
    if (weighted) {
      json.put("weight_sum", weightSum);
    }
    json.set("mse", Report.number(mse()));
    json.set("rmse", Report.number(rmse()));
    json.set("mae", Report.number(mae()));
    json.set("r2", Report.number(r2()));
    ArrayNode perTarget = json.putArray("per_target");
    for (int j = 0; j < numTargets; j++) {
      ObjectNode t = perTarget.addObject();
      t.put("name", targetNames[j]);
      t.set("mse", Report.number(mse(j)));
      t.set("rmse", Report.number(rmse(j)));
      t.set("mae", Report.number(mae(j)));
      t.set("r2", Report.number(r2(j)));
    }
    return json;
  }

  /** A table with one line per target and a line of averages; values to 6 significant digits. */
  public String toText(String[] targetNames) {
    checkNames(targetNames);
    int width = "average".length();
    for (String n : targetNames) {
      width = Math.max(width, n.length());
    }
    String header = "%-" + width + "s %12s %12s %12s %12s%n";
    String values = "%-" + width + "s %12.6g %12.6g %12.6g %12.6g%n";
    StringBuilder sb = new StringBuilder();
    sb.append(weighted
        ? String.format(Locale.ROOT, "rows %d, sample weights summing to %.6g (weighted "
            + "metrics)%n%n", count, weightSum)
        : String.format(Locale.ROOT, "rows %d%n%n", count));
    sb.append(String.format(Locale.ROOT, header, "target", "mse", "rmse", "mae", "r2"));
    for (int j = 0; j < numTargets; j++) {
      sb.append(String.format(Locale.ROOT, values, targetNames[j], mse(j), rmse(j), mae(j),
          r2(j)));
    }
    sb.append(String.format(Locale.ROOT, values, "average", mse(), rmse(), mae(), r2()));
    return sb.toString();
  }

  private void checkNames(String[] targetNames) {
    if (targetNames.length != numTargets) {
      throw new IllegalArgumentException("got " + targetNames.length + " target names for "
          + numTargets + " targets");
    }
  }
}
