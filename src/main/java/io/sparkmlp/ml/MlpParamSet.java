package io.sparkmlp.ml;

import io.sparkmlp.nn.Named;
import io.sparkmlp.train.Setting;
import io.sparkmlp.train.SettingType;
import io.sparkmlp.train.Settings;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import scala.Function1;

/**
 * The Spark ML side of {@link Settings}: one {@link Param} per setting, named as the setting's
 * {@link Setting#paramName()}, documented with its description and rule, validated by its range
 * or choices and defaulting to its default. Spark requires each pipeline stage to own its
 * Params, tagged with its uid, so every stage creates its own set.
 *
 * <p>Values are held as Spark ML users write them: numbers, booleans, {@code int[]}, and the
 * names of enum choices as strings; {@link #value} turns them back into the settings' types. A
 * validator checks what Spark checks, the range (so {@code lr = +Infinity} passes it, as Spark's
 * {@code ParamValidators.gt(0)} would); the trainer checks finiteness when the values become a
 * {@code TrainConfig} at fit time.
 */
public final class MlpParamSet implements Serializable {
  private static final long serialVersionUID = 2L;

  private final String uid;
  /** Setting name → this stage's Param, in table order. */
  private final Map<String, Param<?>> params = new LinkedHashMap<>();
  private transient Param<?>[] all;

  private MlpParamSet(Params owner) {
    uid = owner.uid();
    for (Setting<?> s : Settings.ALL) {
      params.put(s.name(), create(owner, s));
    }
  }

  /**
   * The Params of {@code owner}, a stage whose constructor is running with its uid held by
   * {@link PendingUid}: creates them, sets their defaults on {@code owner} and takes the uid,
   * which {@link #uidOf} then answers.
   */
  static MlpParamSet forStage(Params owner) {
    MlpParamSet set = new MlpParamSet(owner);
    set.setDefaults(owner);
    PendingUid.release();
    return set;
  }

  /** The uid of the stage whose Params are {@code set}: the held one while it is being built. */
  static String uidOf(MlpParamSet set) {
    return set != null ? set.uid : PendingUid.peek();
  }

  /** Sets every default on {@code owner}, the stage these Params belong to. */
  @SuppressWarnings("unchecked")
  private void setDefaults(Params owner) {
    for (Setting<?> s : Settings.ALL) {
      Object d = s.defaultValue();
      if (d != null) {
        owner.setDefault((Param<Object>) param(s), toParam(d));
      }
    }
  }

  /** This stage's Param of {@code setting}. */
  @SuppressWarnings("unchecked")
  <P extends Param<?>> P param(Setting<?> setting) {
    return (P) params.get(setting.name());
  }

  /** {@code owner}'s value of {@code setting}: set, else the default; null when neither. */
  @SuppressWarnings("unchecked")
  <T> T value(Params owner, Setting<T> setting) {
    Param<Object> p = param(setting);
    if (!owner.isDefined(p)) {
      return null;
    }
    Object v = owner.getOrDefault(p);
    if (setting.type() instanceof SettingType.OneOf<?> t) {
      return (T) t.parse(setting.label(), (String) v);
    }
    return setting.type().copy((T) v);
  }

  /** A setting's value as the Param holds it: an enum choice by name. */
  static Object toParam(Object value) {
    return value instanceof Named n ? n.optionName() : value;
  }

  /**
   * {@code reflected} (the Params Spark finds by reflection: its own and those with accessors
   * in {@link MlpParams}) and every setting's Param, sorted by name as Spark lists them. Stages
   * return this from {@code params()}, so a setting is a full Param (set, saved, loaded, listed
   * by {@code explainParams}) without an accessor of its own. Before {@code set} exists
   * (while the stage's Spark superclass is built) only the reflected ones.
   */
  static Param<?>[] params(MlpParamSet set, Param<?>[] reflected) {
    return set == null ? reflected : set.all(reflected);
  }

  private Param<?>[] all(Param<?>[] reflected) {
    if (all == null) {
      Map<String, Param<?>> byName = new LinkedHashMap<>();
      for (Param<?> p : reflected) {
        byName.put(p.name(), p);
      }
      for (Param<?> p : params.values()) {
        byName.putIfAbsent(p.name(), p);
      }
      Param<?>[] sorted = byName.values().toArray(new Param<?>[0]);
      Arrays.sort(sorted, Comparator.comparing(Param::name));
      all = sorted;
    }
    return all;
  }

  private static Param<?> create(Params owner, Setting<?> s) {
    String uid = owner.uid();
    String name = s.paramName();
    String rule = s.type().rule();
    String doc = s.doc() + (rule.isEmpty() ? "" : " (" + rule + ")");
    SettingType<?> type = s.type();
    if (type instanceof SettingType.Whole t) {
      int min = t.min();
      return new IntParam(uid, name, doc, valid(v -> (Integer) v >= min));
    } else if (type instanceof SettingType.AnyLong) {
      return new LongParam(uid, name, doc);
    } else if (type instanceof SettingType.Real t) {
      return new DoubleParam(uid, name, doc, valid(v -> t.contains((Double) v)));
    } else if (type instanceof SettingType.Flag) {
      return new BooleanParam(uid, name, doc);
    } else if (type instanceof SettingType.OneOf<?> t) {
      List<String> names = Named.names(t.type());
      return new Param<String>(uid, name, doc, valid(names::contains));
    } else if (type instanceof SettingType.Sizes t) {
      int min = t.min();
      return new IntArrayParam(owner, name, doc,
          valid(v -> Arrays.stream((int[]) v).allMatch(x -> x >= min)));
    } else if (type instanceof SettingType.CountOrAll t) {
      int min = t.min();
      return new IntParam(uid, name, doc,
          valid(v -> (Integer) v == SettingType.CountOrAll.ALL || (Integer) v >= min));
    }
    return new Param<String>(uid, name, doc);
  }

  /** A validator Spark can serialize with the stage. */
  private interface Check<T> extends Function1<T, Object>, Serializable {}

  @SuppressWarnings("unchecked")
  private static <T> Function1<T, Object> valid(Check<Object> check) {
    return (Function1<T, Object>) (Function1<?, ?>) check;
  }
}
