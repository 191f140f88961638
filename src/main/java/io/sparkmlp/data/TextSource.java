package io.sparkmlp.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import scala.Tuple2;

/**
 * Reads LibSVM and CSV text through Hadoop's input formats (any FileSystem, gzip), one
 * {@link ParsedChunk} per input split.
 *
 * <p>Line numbers: each record comes with its byte offset. A split that starts at byte 0 (every
 * compressed file, see {@link TextLinesInputFormat}) counts its lines as it reads, so its errors
 * carry the exact line. A later split of an uncompressed file carries the byte offset, which the
 * driver turns into a line number by counting line ends up to it, only when reporting an error.
 *
 * <p>A file that cannot be read to its end (a truncated or corrupt {@code .gz}) is bad input like
 * a bad row: the load fails naming the file and the last line read, in every invalid-row mode.
 * Paths are handed to Hadoop's input format as literal patterns, so a file name with glob
 * characters is read as itself.
 */
final class TextSource {
  private TextSource() {}

  static JavaRDD<ParsedChunk> read(JavaSparkContext jsc, Configuration conf,
      List<InputFiles.Entry> files, ParseConfig cfg) {
    Job job;
    try {
      job = Job.getInstance(conf);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      // the input format globs its paths: escape the glob characters of the listed files
      Path[] paths = new Path[files.size()];
      for (int i = 0; i < paths.length; i++) {
        paths[i] = new Path(InputFiles.literalPattern(files.get(i).path().toString(), conf));
      }
      FileInputFormat.setInputPaths(job, paths);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    @SuppressWarnings("unchecked")
    JavaNewHadoopRDD<LongWritable, Text> raw = (JavaNewHadoopRDD<LongWritable, Text>)
        jsc.newAPIHadoopRDD(job.getConfiguration(), TextLinesInputFormat.class,
            LongWritable.class, Text.class);
    return raw.mapPartitionsWithInputSplit(new SplitParser(cfg), false);
  }

  /** Parses the lines of one split. */
  static final class SplitParser implements
      Function2<InputSplit, Iterator<Tuple2<LongWritable, Text>>, Iterator<ParsedChunk>> {
    private static final long serialVersionUID = 1L;
    private final ParseConfig cfg;

    SplitParser(ParseConfig cfg) {
      this.cfg = cfg;
    }

    @Override
    public Iterator<ParsedChunk> call(InputSplit split, Iterator<Tuple2<LongWritable, Text>> it) {
      FileSplit fs = (FileSplit) split;
      String file = fs.getPath().toString();
      boolean fromStart = fs.getStart() == 0;
      boolean csv = cfg.format == DataFormat.CSV;
      ChunkBuilder chunk = new ChunkBuilder(cfg, file, fs.getStart(), !csv);
      long lineNo = 0;
      long lastOffset = fs.getStart();
      while (true) {
        Tuple2<LongWritable, Text> rec;
        try {
          if (!it.hasNext()) {
            break;
          }
          rec = it.next();
        } catch (Exception e) {
          // Hadoop's record reader throws an IOException (undeclared through Scala's iterator)
          // when a file ends early or is corrupt, such as a cut .gz: bad input, not a task error
          if (!(e instanceof IOException)) {
            throw e;
          }
          chunk.reject(new RowError("cannot read the file past this line: it is truncated or "
              + "corrupt (" + e + ")", null, null, true), fromStart ? Math.max(1, lineNo) : -1,
              lastOffset, false);
          break;
        }
        lineNo++;
        long offset = rec._1().get();
        lastOffset = offset;
        Text t = rec._2();
        byte[] b = t.getBytes();
        int len = t.getLength();
        if ((csv && offset == 0) || LineParsers.blank(b, len)) {
          continue; // the CSV header (checked on the driver), or an empty line
        }
        try {
          RowBuffer row = chunk.row();
          boolean isRow;
          if (csv) {
            LineParsers.csv(cfg, b, len, row);
            isRow = true;
          } else {
            isRow = LineParsers.libsvm(cfg, b, len, row);
          }
          if (isRow) {
            chunk.commit();
          }
        } catch (RowError e) {
          chunk.reject(e, fromStart ? lineNo : -1, offset, false);
          if (chunk.failed()) {
            break;
          }
        }
      }
      TaskContext tc = TaskContext.get();
      return Collections.singletonList(chunk.build(tc == null ? 0 : tc.partitionId(), 0))
          .iterator();
    }
  }
}
