package io.sparkmlp.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkmlp.data.DataLoader;
import io.sparkmlp.data.DataSpec;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.data.Split;
import io.sparkmlp.io.ModelFile;
import io.sparkmlp.io.SavedModel;
import io.sparkmlp.train.CheckpointEvery;
import io.sparkmlp.train.Checkpointer;
import io.sparkmlp.train.TrainConfig;
import io.sparkmlp.train.TrainResult;
import io.sparkmlp.train.Trainer;
import io.sparkmlp.train.TrainingListener;
import io.sparkmlp.testing.SparkTestSession;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints and models on a real HDFS: an in-process {@link MiniDFSCluster} (NameNode and one
 * DataNode on 127.0.0.1, from {@code hadoop-client-minicluster}, the same 3.5.0 as the
 * {@code hadoop-client-api}/{@code -runtime} Spark brings, so the shaded classes agree). A run
 * crashes after step 37 with checkpoints on {@code hdfs://}, resumes from there bit-identically,
 * and its model round-trips through HDFS.
 */
class HdfsCheckpointTest {
  @TempDir java.nio.file.Path tmp;

  @Test
  void checkpointsAndModelOnHdfsResumeExactly() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("dfs").toString());
    MiniDFSCluster dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    SparkSession spark = SparkTestSession.get();
    Split digits = DataLoader.load(spark, DataSpec.of("data-samples/digits.csv"),
        LoadOptions.defaults().withPartitions(2).withStandardize(true).withSeed(4));
    try {
      dfs.waitActive();
      String root = "hdfs://127.0.0.1:" + dfs.getNameNodePort();
      Configuration client = new Configuration();
      TrainConfig config = new TrainConfig().hidden(16).batchSize(64).epochs(2).seed(4);
      TrainResult whole = new Trainer(spark, config)
          .fit(digits.train(), null, null, TrainingListener.NONE);

      Path dir = new Path(root + "/runs/ckpt");
      assertThrows(IllegalStateException.class, () -> new Trainer(spark, config)
          .withCheckpoints(new Checkpointer(dir, client, CheckpointEvery.steps(10), 2, false,
              Map.of()))
          .fit(digits.train(), null, null, new TrainingListener() {
            @Override
            public void onStep(int e, int s, long globalStep, double l, double lr, long r) {
              if (globalStep == 37) {
                throw new IllegalStateException("simulated crash");
              }
            }
          }));
      Checkpointer resume = new Checkpointer(dir, client, CheckpointEvery.steps(10), 2, true,
          Map.of());
      assertEquals(List.of("ckpt-000000030.safetensors", "ckpt-000000020.safetensors"),
          resume.list().stream().map(Path::getName).collect(Collectors.toList()),
          "keep 2: the newest two complete checkpoints stay on HDFS");
      TrainResult resumed = new Trainer(spark, config).withCheckpoints(resume)
          .fit(digits.train(), null, null, TrainingListener.NONE);
      assertArrayEquals(whole.params, resumed.params, "resumed from hdfs:// bit for bit");

      Path model = new Path(root + "/runs/model.safetensors");
      ModelFile.write(new SavedModel(resumed.mlp, config.dtype(), resumed.params,
          digits.train().classLabels(), null, digits.train().featureMean(),
          digits.train().featureStd(), Map.of()), model, client);
      assertArrayEquals(whole.params, ModelFile.read(model, client).params());
    } finally {
      digits.unpersist();
      dfs.shutdown();
    }
  }
}
