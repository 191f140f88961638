/**
 * The training-data layer: reads LibSVM, CSV and Parquet through Spark/Hadoop, validates every
 * row, and hands the trainer cached, stacked {@link io.sparkmlp.data.Block}s (one per partition,
 * row-major primitive arrays in the compute dtype).
 *
 * <p>Entry points: {@link io.sparkmlp.data.DataLoader#load} (training data, optional validation
 * hold-out, optional standardisation) and {@link io.sparkmlp.data.DataLoader#loadLike} (further
 * data with the same feature count, class mapping and standardisation).
 *
 * <p>Guarantees: rows keep their file order (files sorted by path); the blocks are a function of
 * the files, the spec, the seed and the partition count only, bit for bit, whatever the master or
 * the input splitting (statistics are summed exactly, see {@code ExactSum}); bad input stops with
 * a {@link io.sparkmlp.data.DataFormatException} naming file, line, column and value.
 *
 * <p>This package depends on {@code io.sparkmlp.nn} (for {@code Dtype}) only, not on the
 * trainer, the ML pipeline API or the CLI.
 */
package io.sparkmlp.data;
