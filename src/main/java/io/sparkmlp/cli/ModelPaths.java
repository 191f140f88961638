package io.sparkmlp.cli;

import io.sparkmlp.io.ModelFile;
import io.sparkmlp.io.SavedModel;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Resolves {@code --model}: a model file, or a training output directory holding one. */
final class ModelPaths {
  private ModelPaths() {}

  static Path resolve(String model, Configuration conf) throws IOException {
    Path p = new Path(model);
    FileSystem fs = p.getFileSystem(conf);
    if (!fs.exists(p)) {
      throw new IOException("model " + model + " does not exist");
    }
    return fs.getFileStatus(p).isDirectory() ? new Path(p, TrainCommand.MODEL_FILE) : p;
  }

  static SavedModel read(String model, Configuration conf) throws IOException {
    return ModelFile.read(resolve(model, conf), conf);
  }
}
