package io.sparkmlp.blas;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;

/**
 * A native library file inside a jar on the class path: its name, size and CRC-32 (from the
 * jar's directory, so knowing them costs no decompression), and a way to read it.
 */
record NativeFile(String name, long size, long crc, URL url) {

  /** The file at {@code url} named {@code name}. */
  static NativeFile of(String name, URL url) throws IOException {
    URLConnection c = url.openConnection();
    if (c instanceof JarURLConnection jar) {
      JarEntry e = jar.getJarEntry();
      if (e.getSize() >= 0 && e.getCrc() >= 0) {
        return new NativeFile(name, e.getSize(), e.getCrc(), url);
      }
    }
    CRC32 crc = new CRC32();
    long size = 0;
    try (InputStream in = url.openStream()) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        crc.update(buf, 0, n);
        size += n;
      }
    }
    return new NativeFile(name, size, crc.getValue(), url);
  }

  InputStream open() throws IOException {
    return url.openStream();
  }
}
