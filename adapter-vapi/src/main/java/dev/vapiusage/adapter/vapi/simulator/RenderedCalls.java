package dev.vapiusage.adapter.vapi.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The JSON of every generated call, rendered once into a memory-mapped scratch file and served
 * from there.
 *
 * <p>Rendering a heavy call costs the simulator about as much CPU as the client spends reading
 * it; the real Vapi spends that on its own machines. A benchmark that shares two cores with the
 * simulator renders ahead with this, so its figure measures the client rather than the
 * simulator. The bytes are exactly what {@link CallJson} writes, and only generated calls that
 * were never replaced are served from here, so an answer is the same either way.
 *
 * <p>The file lives outside the heap (mapped, in segments of at most {@value #SEGMENT} bytes
 * each overlapping the next by the longest call), so a million rendered calls cost the heap
 * only their offsets.
 */
final class RenderedCalls implements Closeable {
  private static final JsonFactory JSON = new JsonFactory();
  private static final int SEGMENT = 1 << 30;
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[16 * 1024]);

  private final boolean heavy;
  private final Path file;
  private final long[] offsets;
  private final MappedByteBuffer[] segments;

  private RenderedCalls(boolean heavy, Path file, long[] offsets, MappedByteBuffer[] segments) {
    this.heavy = heavy;
    this.file = file;
    this.offsets = offsets;
    this.segments = segments;
  }

  /** Renders calls {@code 0 .. count-1} of {@code generator} into a new file in {@code directory}. */
  static RenderedCalls render(CallGenerator generator, boolean heavy, Path directory) throws IOException {
    int count = generator.count;
    Path file = Files.createTempFile(directory, "vapi-simulator-calls", ".json");
    long[] offsets = new long[count + 1];
    int longest = 0;
    try {
      try (Counting out = new Counting(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20));
          JsonGenerator g = JSON.createGenerator(out)) {
        // Root values one after another with nothing between: each call's bytes stand alone.
        g.setRootValueSeparator(null);
        CallJson writer = new CallJson(heavy);
        for (int i = 0; i < count; i++) {
          writer.write(g, generator.call(i));
          g.flush();
          offsets[i + 1] = out.written;
          longest = (int) Math.max(longest, offsets[i + 1] - offsets[i]);
        }
      }
      long size = offsets[count];
      MappedByteBuffer[] segments = new MappedByteBuffer[(int) (size / SEGMENT) + 1];
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        for (int s = 0; s < segments.length; s++) {
          long start = (long) s * SEGMENT;
          segments[s] = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(size - start, (long) SEGMENT + longest));
        }
      }
      return new RenderedCalls(heavy, file, offsets, segments);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /** Whether the calls were rendered with their heavy fields. */
  boolean heavy() {
    return heavy;
  }

  /** Bytes of JSON held. */
  long size() {
    return offsets[offsets.length - 1];
  }

  /**
   * Writes {@code calls} as one JSON array, each from the file when {@code indexOf} names its
   * rendering (a non-negative index) and through {@code live} otherwise.
   */
  void writeArray(JsonGenerator g, List<SimulatedCall> calls, IndexOf indexOf, CallJson live) throws IOException {
    // The generator only writes whole live calls here, each a root value of its own (Jackson puts
    // a space between root values); brackets and commas go in raw, the file's bytes straight to
    // the generator's target once it has flushed.
    OutputStream target = (OutputStream) g.getOutputTarget();
    g.writeRaw('[');
    boolean first = true;
    for (SimulatedCall call : calls) {
      if (!first) {
        g.writeRaw(',');
      }
      first = false;
      int index = indexOf.indexOf(call);
      if (index < 0) {
        live.write(g, call);
      } else {
        g.flush();
        copy(index, target);
      }
    }
    g.writeRaw(']');
  }

  private void copy(int index, OutputStream target) throws IOException {
    long start = offsets[index];
    int length = (int) (offsets[index + 1] - start);
    byte[] scratch = SCRATCH.get();
    if (scratch.length < length) {
      scratch = new byte[Math.max(length, scratch.length * 2)];
      SCRATCH.set(scratch);
    }
    segments[(int) (start / SEGMENT)].get((int) (start % SEGMENT), scratch, 0, length);
    target.write(scratch, 0, length);
  }

  /** Deletes the file; the mapping goes when the collector takes it. */
  @Override
  public void close() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The rendering of a call, or -1 when it must be rendered live. */
  @FunctionalInterface
  interface IndexOf {
    int indexOf(SimulatedCall call);
  }

  private static final class Counting extends FilterOutputStream {
    long written;

    Counting(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      written++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      written += len;
    }
  }
}
