package io.sparkmlp.data;

/** The result of {@link DataLoader#load}: the training part and the held-out validation part. */
public final class Split {
  private final Dataset train;
  private final Dataset validation;

  Split(Dataset train, Dataset validation) {
    this.train = train;
    this.validation = validation;
  }

  public Dataset train() {
    return train;
  }

  /** The validation part, or null when the validation fraction is 0. */
  public Dataset validation() {
    return validation;
  }

  /** Unpersists both parts. */
  public void unpersist() {
    train.unpersist();
    if (validation != null) {
      validation.unpersist();
    }
  }
}
