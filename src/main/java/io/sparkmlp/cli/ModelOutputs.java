package io.sparkmlp.cli;

import io.sparkmlp.data.Block;
import io.sparkmlp.io.SavedModel;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.MLP;
import io.sparkmlp.nn.Softmax;
import io.sparkmlp.train.Scorer;
import java.io.Serializable;

/**
 * What a saved model answers for the rows of a block, as predict and evaluate use it: {@code k}
 * values a row, row-major, namely the class probabilities {@code softmax(Zᴸ)} of a classifier
 * or the predicted targets of a regressor. Shipped to the executors inside the scoring closures.
 */
record ModelOutputs(MLP mlp, Dtype dtype, double[] params, boolean classifier)
    implements Serializable {

  static ModelOutputs of(SavedModel model) {
    return new ModelOutputs(model.mlp(), model.dtype(), model.params(), model.isClassifier());
  }

  /** k, the model's outputs per row. */
  int width() {
    return mlp.numOutputs();
  }

  /** The block's {@code rows × k} outputs (a fresh array). */
  double[] forBlock(Block b) {
    double[] y = new Scorer(mlp, dtype, params).outputs(b);
    if (classifier) {
      Softmax.inPlace(y, b.rows(), width());
    }
    return y;
  }
}
