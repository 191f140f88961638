package io.sparkmlp.data;

import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;

/**
 * Hadoop's TextInputFormat, but never splits a compressed file (not even bzip2, which Hadoop
 * could split). Why: for a split that starts at the beginning of its file the loader numbers the
 * lines itself as it reads them, which is exact for every codec; for later splits it converts the
 * record's byte offset into a line number, which is only meaningful for uncompressed files.
 */
public class TextLinesInputFormat extends TextInputFormat {
  @Override
  protected boolean isSplitable(JobContext context, Path file) {
    CompressionCodec codec =
        new CompressionCodecFactory(context.getConfiguration()).getCodec(file);
    return codec == null;
  }
}
