package io.sparkmlp.blas;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the BLAS checks read from an ELF shared object without loading it: the machine it was
 * built for, the functions it defines in its dynamic symbol table, the libraries it needs and
 * its run path. Loading a library that lacks a BLAS routine netlib binds does not fail: netlib
 * 3.2.0 keeps a null pointer and the JVM crashes (SIGSEGV) on the first call, so the symbols
 * are checked here, before anything is loaded.
 *
 * <p>Reads 64-bit little-endian ELF (x86-64, AArch64) through its section headers
 * ({@code .dynsym}, {@code .dynamic}, {@code .rodata}); anything else is refused with the reason.
 */
final class ElfLibrary {
  /** {@code e_machine} of x86-64. */
  static final int EM_X86_64 = 62;
  /** {@code e_machine} of AArch64. */
  static final int EM_AARCH64 = 183;

  private static final int SHT_DYNAMIC = 6;
  private static final int SHT_DYNSYM = 11;
  private static final long DT_NEEDED = 1;
  private static final long DT_RPATH = 15;
  private static final long DT_RUNPATH = 29;
  private static final int STT_FUNC = 2;
  private static final int STT_GNU_IFUNC = 10;
  /** Sections larger than this are not read (a damaged header must not exhaust memory). */
  private static final long MAX_SECTION = 256L << 20;

  final Path path;
  final int machine;
  final Set<String> functions;
  final List<String> needed;
  final List<String> runPath;
  /** The {@code .rodata} section, read only when a version is asked for; null if absent. */
  private final Section rodata;

  private ElfLibrary(Path path, int machine, Set<String> functions, List<String> needed,
      List<String> runPath, Section rodata) {
    this.path = path;
    this.machine = machine;
    this.functions = functions;
    this.needed = needed;
    this.runPath = runPath;
    this.rodata = rodata;
  }

  /** Reads {@code file}; an {@link IOException} says what is wrong with it (not naming it). */
  static ElfLibrary read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 64) {
        throw new IOException("not an ELF file (" + size + " bytes)");
      }
      ByteBuffer h = at(ch, 0, 64, size);
      if (h.getInt(0) != 0x464c457f) {
        throw new IOException("not an ELF file");
      }
      if (h.get(4) != 2 || h.get(5) != 1) {
        throw new IOException("not a 64-bit little-endian ELF file");
      }
      int machine = Short.toUnsignedInt(h.getShort(18));
      long shoff = h.getLong(0x28);
      int shentsize = Short.toUnsignedInt(h.getShort(0x3A));
      int shnum = Short.toUnsignedInt(h.getShort(0x3C));
      int shstrndx = Short.toUnsignedInt(h.getShort(0x3E));
      if (shoff == 0 || shnum == 0 || shentsize < 64) {
        throw new IOException("an ELF file without section headers");
      }
      ByteBuffer sh = at(ch, shoff, (long) shnum * shentsize, size);
      Section[] sections = new Section[shnum];
      for (int i = 0; i < shnum; i++) {
        int o = i * shentsize;
        sections[i] = new Section(sh.getInt(o), sh.getInt(o + 4), sh.getLong(o + 24),
            sh.getLong(o + 32), sh.getInt(o + 40), sh.getLong(o + 56));
      }
      byte[] names = shstrndx < shnum ? bytes(ch, sections[shstrndx], size) : new byte[0];
      Set<String> functions = new HashSet<>();
      List<String> needed = new ArrayList<>();
      List<String> runPath = new ArrayList<>();
      Section rodata = null;
      for (Section s : sections) {
        if (s.type == SHT_DYNSYM) {
          functions.addAll(definedFunctions(ch, s, sections, size));
        } else if (s.type == SHT_DYNAMIC) {
          dynamic(ch, s, sections, size, needed, runPath);
        } else if (".rodata".equals(Bytes.cString(names, s.name))) {
          rodata = s;
        }
      }
      return new ElfLibrary(file, machine, functions, needed, runPath, rodata);
    }
  }

  /**
   * The version number that follows {@code marker} in the read-only data, up to the next space
   * or NUL (marker "OpenBLAS " in "OpenBLAS 0.3.31 DYNAMIC_ARCH" gives "0.3.31"), or null.
   */
  String versionAfter(String marker) {
    if (rodata == null) {
      return null;
    }
    byte[] text;
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      text = bytes(ch, rodata, ch.size());
    } catch (IOException e) {
      return null;
    }
    byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
    for (int i = Bytes.indexOf(text, m, 0); i >= 0; i = Bytes.indexOf(text, m, i + 1)) {
      int start = i + m.length;
      int end = start;
      while (end < text.length && text[end] != 0 && text[end] != ' ') {
        end++;
      }
      if (end > start && Character.isDigit(text[start])) {
        return new String(text, start, end - start, StandardCharsets.US_ASCII);
      }
    }
    return null;
  }

  private record Section(int name, int type, long offset, long size, int link, long entsize) {}

  private static Set<String> definedFunctions(FileChannel ch, Section s, Section[] all, long size)
      throws IOException {
    byte[] strings = bytes(ch, linked(s, all), size);
    ByteBuffer syms = ByteBuffer.wrap(bytes(ch, s, size)).order(ByteOrder.LITTLE_ENDIAN);
    int entsize = s.entsize >= 24 ? (int) s.entsize : 24;
    Set<String> out = new HashSet<>();
    for (int o = 0; o + 24 <= syms.capacity(); o += entsize) {
      int info = syms.get(o + 4) & 0xff;
      int type = info & 0xf;
      int binding = info >> 4;
      boolean defined = syms.getShort(o + 6) != 0;
      if (defined && (type == STT_FUNC || type == STT_GNU_IFUNC) && (binding == 1 || binding == 2)) {
        out.add(Bytes.cString(strings, syms.getInt(o)));
      }
    }
    return out;
  }

  private static void dynamic(FileChannel ch, Section s, Section[] all, long size,
      List<String> needed, List<String> runPath) throws IOException {
    byte[] strings = bytes(ch, linked(s, all), size);
    ByteBuffer dyn = ByteBuffer.wrap(bytes(ch, s, size)).order(ByteOrder.LITTLE_ENDIAN);
    for (int o = 0; o + 16 <= dyn.capacity(); o += 16) {
      long tag = dyn.getLong(o);
      int value = (int) dyn.getLong(o + 8);
      if (tag == 0) {
        break;
      } else if (tag == DT_NEEDED) {
        needed.add(Bytes.cString(strings, value));
      } else if (tag == DT_RUNPATH || tag == DT_RPATH) {
        for (String p : Bytes.cString(strings, value).split(":")) {
          if (!p.isEmpty()) {
            runPath.add(p);
          }
        }
      }
    }
  }

  private static Section linked(Section s, Section[] all) throws IOException {
    if (s.link < 0 || s.link >= all.length) {
      throw new IOException("section link " + s.link + " out of range");
    }
    return all[s.link];
  }

  private static byte[] bytes(FileChannel ch, Section s, long fileSize) throws IOException {
    if (s.size > MAX_SECTION) {
      throw new IOException("section of " + s.size + " bytes is implausibly large");
    }
    return at(ch, s.offset, s.size, fileSize).array();
  }

  private static ByteBuffer at(FileChannel ch, long offset, long length, long fileSize)
      throws IOException {
    if (offset < 0 || length < 0 || offset + length > fileSize) {
      throw new IOException("truncated: needs bytes " + offset + ".." + (offset + length)
          + " of a " + fileSize + "-byte file");
    }
    ByteBuffer b = ByteBuffer.allocate((int) length).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      if (ch.read(b, offset + b.position()) < 0) {
        throw new IOException("unexpected end of file");
      }
    }
    return b;
  }
}
