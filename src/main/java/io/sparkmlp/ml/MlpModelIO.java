package io.sparkmlp.ml;

import io.sparkmlp.io.ModelFile;
import io.sparkmlp.io.SavedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.BiFunction;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.SparkSession;
import scala.Option;

/**
 * Model persistence: {@code path/metadata} is Spark ML's standard params metadata (class, uid,
 * param values; what {@code DefaultParamsReader} and Pipeline persistence read), and
 * {@code path/data/model.safetensors} is the very model file the CLI writes, so the CLI's
 * {@code predict --model path/data} scores a saved Spark ML model, and
 * {@code fromModelFile} turns a CLI model into a Spark ML one.
 */
final class MlpModelIO {
  static final String DATA_DIR = "data";
  static final String MODEL_FILE = io.sparkmlp.io.ModelFile.FILE_NAME;

  private MlpModelIO() {}

  /** Writes a model's metadata and model file. */
  static final class Writer extends MLWriter {
    private final Params stage;
    private final SavedModel model;

    Writer(Params stage, SavedModel model) {
      this.stage = stage;
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      DefaultParamsWriter$.MODULE$.saveMetadata(stage, path, sparkSession());
      Path file = new Path(new Path(path, DATA_DIR), MODEL_FILE);
      try {
        ModelFile.write(model, file, sparkSession().sparkContext().hadoopConfiguration());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
      }
    }
  }

  /** Reads what {@link Writer} wrote into a model of class {@code cls}. */
  static final class Reader<M extends Params> extends MLReader<M> {
    private final Class<M> cls;
    private final BiFunction<String, SavedModel, M> create;

    Reader(Class<M> cls, BiFunction<String, SavedModel, M> create) {
      this.cls = cls;
      this.create = create;
    }

    @Override
    public M load(String path) {
      SparkSession spark = sparkSession();
      DefaultParamsReader.Metadata meta =
          DefaultParamsReader$.MODULE$.loadMetadata(path, spark, cls.getName());
      Path file = new Path(new Path(path, DATA_DIR), MODEL_FILE);
      M model = create.apply(meta.uid(), read(file.toString(),
          spark.sparkContext().hadoopConfiguration()));
      meta.getAndSetParams(model, Option.empty());
      return model;
    }
  }

  /**
   * A Spark ML model of a model file the CLI wrote ({@code path}: the file or its directory),
   * made by {@code create} with a fresh uid of {@code uidPrefix}: the architecture Params
   * ({@code hiddenLayers}, {@code activation}, {@code dtype}, {@code standardize}) are set from
   * the file, the others keep their defaults.
   */
  static <M extends MlpParams> M fromModelFile(String path, String uidPrefix,
      BiFunction<String, SavedModel, M> create) {
    SavedModel m = read(path, SparkSession.active().sparkContext().hadoopConfiguration());
    M model = create.apply(Identifiable$.MODULE$.randomUID(uidPrefix), m);
    model.set(model.hiddenLayers(), m.mlp().hiddenSizes());
    model.set(model.activation(), m.mlp().activation().optionName());
    model.set(model.dtype(), m.dtype().optionName());
    model.set(model.standardize(), m.featureMean() != null);
    return model;
  }

  /**
   * Reads a model file: {@code path} is the file itself or a directory holding
   * {@code model.safetensors} (a CLI training output directory, or a saved model's {@code data}).
   */
  static SavedModel read(String path, Configuration conf) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        throw new IllegalArgumentException("model file " + path + " does not exist");
      }
      Path file = fs.getFileStatus(p).isDirectory() ? new Path(p, MODEL_FILE) : p;
      return ModelFile.read(file, conf);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }
}
