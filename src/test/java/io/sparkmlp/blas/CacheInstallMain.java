package io.sparkmlp.blas;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A JVM of {@link LibraryCacheTest}: waits until the file {@code args[1]} exists (so several
 * start extracting at once), extracts the bundled OpenBLAS into the cache root {@code args[0]},
 * loads it and prints {@code loaded <path>}.
 */
public final class CacheInstallMain {
  private CacheInstallMain() {}

  public static void main(String[] args) throws Exception {
    Path go = Path.of(args[1]);
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!Files.exists(go) && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    Platform platform = Platform.current();
    Path lib = BundledOpenBlas.ofClassPath(platform).extractTo(new LibraryCache(Path.of(args[0])));
    NativeBlas.load(lib, Implementation.OPENBLAS, null);
    System.out.println("loaded " + lib);
  }
}
