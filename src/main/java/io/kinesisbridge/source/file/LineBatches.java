package io.kinesisbridge.source.file;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads a stream as lines (LF or CRLF; the end of the stream ends the last line) in batches of at most
 * {@code batchSize} lines, each line as its bytes without the line end. Empty lines are skipped: they carry no
 * record. A line longer than {@code maxLineBytes} comes in pieces of that size (the last one shorter), so that no
 * line, however long, is held whole in memory. Closing the iterator closes the stream.
 */
public final class LineBatches implements Iterator<List<byte[]>>, Closeable {

    private final InputStream in;
    private final int batchSize;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private byte[] partial = new byte[256];
    private int partialLength;
    private List<byte[]> next;
    private boolean eof;

    public LineBatches(InputStream in, int batchSize) {
        this(in, batchSize, Integer.MAX_VALUE);
    }

    public LineBatches(InputStream in, int batchSize, int maxLineBytes) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be positive");
        }
        this.in = in;
        this.batchSize = batchSize;
        this.maxLineBytes = maxLineBytes;
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

    private List<byte[]> readBatch() {
        List<byte[]> batch = new ArrayList<>(batchSize);
        try {
            while (batch.size() < batchSize) {
                if (position == limit) {
                    limit = in.read(buffer, 0, buffer.length);
                    position = 0;
                    if (limit <= 0) {
                        limit = 0;
                        eof = true;
                        add(batch, partial, 0, partialLength);
                        partialLength = 0;
                        break;
                    }
                }
                int newline = -1;
                for (int i = position; i < limit; i++) {
                    if (buffer[i] == '\n') {
                        newline = i;
                        break;
                    }
                }
                if (newline < 0) {
                    append(position, limit);
                    position = limit;
                    pieces(batch);
                    continue;
                }
                if (partialLength == 0 && newline - position <= maxLineBytes) {
                    add(batch, buffer, position, newline - position);
                } else {
                    append(position, newline);
                    pieces(batch);
                    add(batch, partial, 0, partialLength);
                    partialLength = 0;
                }
                position = newline + 1;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (eof) {
            close();
        }
        return batch;
    }

    /** Keeps the bytes of a line that continues past the buffer. */
    private void append(int from, int to) {
        int n = to - from;
        if (partialLength + n > partial.length) {
            partial = Arrays.copyOf(partial, Math.max(partial.length * 2, partialLength + n));
        }
        System.arraycopy(buffer, from, partial, partialLength, n);
        partialLength += n;
    }

    /** Moves whole pieces of {@code maxLineBytes} of the line being read into the batch. */
    private void pieces(List<byte[]> batch) {
        int from = 0;
        while (partialLength - from > maxLineBytes) {
            batch.add(Arrays.copyOfRange(partial, from, from + maxLineBytes));
            from += maxLineBytes;
        }
        if (from > 0) {
            System.arraycopy(partial, from, partial, 0, partialLength - from);
            partialLength -= from;
        }
    }

    private static void add(List<byte[]> batch, byte[] bytes, int offset, int length) {
        if (length > 0 && bytes[offset + length - 1] == '\r') {
            length--;
        }
        if (length > 0) {
            batch.add(Arrays.copyOfRange(bytes, offset, offset + length));
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
