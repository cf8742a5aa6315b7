package io.kinesisbridge.source.file;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads a stream as lines (see {@link LineReader}; the end of the stream ends the last line) in batches of at
 * most {@code batchSize} lines and about {@link #MAX_BATCH_BYTES}, each line as its bytes without the line end.
 * Empty lines are skipped: they carry no record. A line longer than {@code maxLineBytes} is not in any batch: it
 * goes to {@code overlong}. Memory is bounded whatever the file. Closing the iterator closes the stream.
 */
public final class LineBatches implements Iterator<List<byte[]>>, Closeable {

    /** A batch ends once it holds this many bytes, so that a batch of long lines stays small. */
    public static final long MAX_BATCH_BYTES = 4L << 20;

    private final InputStream in;
    private final int batchSize;
    private final LineReader reader;
    private final Consumer<LineReader.LongLine> overlong;
    private List<byte[]> next;
    private boolean eof;
    private long lines;

    public LineBatches(InputStream in, int batchSize, int maxLineBytes, Consumer<LineReader.LongLine> overlong) {
        this.in = in;
        this.batchSize = batchSize;
        this.reader = new LineReader(LineReader.Source.of(in), 0, maxLineBytes);
        this.overlong = overlong;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !eof) {
            next = readBatch();
        }
        return next != null && !next.isEmpty();
    }

    @Override
    public List<byte[]> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        List<byte[]> batch = next;
        next = null;
        return batch;
    }

    /** The offset of the first byte of the line not yet handed out or reported. */
    public long position() {
        return reader.lineStart();
    }

    /** Lines read so far (handed out, empty, or too long). */
    public long lines() {
        return lines;
    }

    private List<byte[]> readBatch() {
        List<byte[]> batch = new ArrayList<>(Math.min(batchSize, 1024));
        long bytes = 0;
        try {
            while (batch.size() < batchSize && bytes < MAX_BATCH_BYTES) {
                Optional<LineReader.Item> item = reader.next(true);
                if (item.isEmpty()) {
                    eof = true;
                    break;
                }
                lines++;
                if (item.get() instanceof LineReader.Line line) {
                    if (line.content().length > 0) {
                        batch.add(line.content());
                        bytes += line.content().length;
                    }
                } else {
                    overlong.accept((LineReader.LongLine) item.get());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Error e) {
            // an Error escaping the route would stop Camel's polling consumer for good: it fails this file instead
            closeQuietly();
            throw new IllegalStateException(
                    e.getClass().getSimpleName() + " while reading line " + (lines + 1) + ": " + e.getMessage(), e);
        }
        if (eof) {
            close();
        }
        return batch;
    }

    private void closeQuietly() {
        try {
            in.close();
        } catch (IOException | RuntimeException e) {
            // the file has failed already
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
