package io.kinesisbridge.source.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads lines (LF or CRLF; the line end is not part of the content) one at a time, in memory bounded by
 * {@code maxLineBytes} whatever the line or file size: a longer line is not kept but skipped to its end and comes
 * out as a {@link LongLine}, with its length and its first {@link #SAMPLE_BYTES} bytes. Offsets count from the
 * position the reader started at.
 */
public final class LineReader {

    /** How much of a line that is too long is kept, to tell which line it was. */
    public static final int SAMPLE_BYTES = 1024;

    private static final int BUFFER_BYTES = 64 * 1024;

    /** Where bytes come from; {@code read} answers -1 (or 0) at the end of what there is now. */
    public interface Source {
        int read(byte[] into, int offset, int length) throws IOException;

        /** Passes over {@code n} bytes. */
        void skip(long n) throws IOException;

        static Source of(InputStream in) {
            return new Source() {
                @Override
                public int read(byte[] into, int offset, int length) throws IOException {
                    return in.read(into, offset, length);
                }

                @Override
                public void skip(long n) throws IOException {
                    in.skipNBytes(n);
                }
            };
        }

        /** The bytes of {@code channel} from {@code from} up to {@code to} (a size taken before reading). */
        static Source of(FileChannel channel, long from, long to) {
            return new Source() {
                long next = from;

                @Override
                public int read(byte[] into, int offset, int length) throws IOException {
                    int want = (int) Math.min(length, to - next);
                    if (want <= 0) {
                        return -1;
                    }
                    int n = channel.read(ByteBuffer.wrap(into, offset, want), next);
                    if (n > 0) {
                        next += n;
                    }
                    return n;
                }

                @Override
                public void skip(long n) {
                    next += n;
                }
            };
        }
    }

    /** A line, or a line too long to be sent; {@code end} is the offset after its line end. */
    public sealed interface Item permits Line, LongLine {
        long start();

        long end();
    }

    /** A line of at most {@code maxLineBytes}, without its line end. */
    public record Line(long start, long end, byte[] content) implements Item {}

    /** A line longer than {@code maxLineBytes}: its length (without the line end) and its first bytes. */
    public record LongLine(long start, long end, long length, byte[] sample) implements Item {}

    /** A long line the source ended in: where to go on skipping it, so that it is not read again. */
    public record Skipping(long start, long resumeAt, byte[] sample, boolean lastByteWasCr) {}

    private final Source source;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int pos;
    private int limit;
    private boolean ended;
    /** The offset of buffer[pos]. */
    private long offset;

    private long lineStart;
    private byte[] line = new byte[256];
    private int lineLength;
    /** Set while skipping a line that passed maxLineBytes: its first bytes. */
    private byte[] sample;

    private boolean lastByteWasCr;
    private Skipping known;

    public LineReader(Source source, long offset, int maxLineBytes) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be positive");
        }
        this.source = source;
        this.maxLineBytes = maxLineBytes;
        this.offset = offset;
        this.lineStart = offset;
    }

    /**
     * Reads from {@code offset}; on reaching the long line {@code known} describes (found by an earlier reader that
     * the source ended in), goes on from where that reader stopped instead of reading the line again.
     */
    public LineReader(Source source, long offset, int maxLineBytes, Optional<Skipping> known) {
        this(source, offset, maxLineBytes);
        this.known = known.filter(k -> k.start() >= offset).orElse(null);
    }

    /**
     * The next line. At the end of the source, a line without its line end counts only if {@code endEndsLine}
     * (the file is complete); otherwise it is left for a later reader.
     *
     * @return empty when no further line is complete now
     */
    public Optional<Item> next(boolean endEndsLine) throws IOException {
        while (true) {
            if (known != null && offset == known.start()) {
                resume(known);
                known = null;
            }
            if (pos == limit) {
                int n = ended ? -1 : source.read(buffer, 0, buffer.length);
                pos = 0;
                limit = 0;
                if (n <= 0) {
                    ended = true;
                    boolean unfinished = offset > lineStart;
                    return endEndsLine && unfinished ? Optional.of(finish(false)) : Optional.empty();
                }
                limit = n;
                continue;
            }
            int newline = pos;
            while (newline < limit && buffer[newline] != '\n') {
                newline++;
            }
            take(pos, newline);
            offset += newline - pos;
            pos = newline;
            if (newline < limit) {
                pos++;
                offset++;
                return Optional.of(finish(true));
            }
        }
    }

    /** The offset of the first byte of the line not yet returned. */
    public long lineStart() {
        return lineStart;
    }

    /** Set when the source ended inside a long line, or before the known one: how to go on with it later. */
    public Optional<Skipping> skipping() {
        return sample != null
                ? Optional.of(new Skipping(lineStart, offset, sample, lastByteWasCr))
                : Optional.ofNullable(known);
    }

    private void resume(Skipping k) throws IOException {
        sample = k.sample();
        lastByteWasCr = k.lastByteWasCr();
        long buffered = limit - pos;
        long ahead = k.resumeAt() - offset;
        if (ahead <= buffered) {
            pos += (int) ahead;
        } else {
            source.skip(ahead - buffered);
            pos = 0;
            limit = 0;
        }
        offset = k.resumeAt();
    }

    private void take(int from, int to) {
        int n = to - from;
        if (n == 0) {
            return;
        }
        lastByteWasCr = buffer[to - 1] == '\r';
        if (sample != null) {
            if (sample.length < SAMPLE_BYTES) {
                int more = Math.min(n, SAMPLE_BYTES - sample.length);
                byte[] longer = Arrays.copyOf(sample, sample.length + more);
                System.arraycopy(buffer, from, longer, sample.length, more);
                sample = longer;
            }
            return;
        }
        // one byte more than the limit may be the CR of a CRLF
        if (lineLength + n > maxLineBytes + 1) {
            int keep = Math.min(SAMPLE_BYTES, lineLength + n);
            byte[] first = Arrays.copyOf(line, keep);
            if (lineLength < keep) {
                System.arraycopy(buffer, from, first, lineLength, keep - lineLength);
            }
            sample = first;
            line = new byte[256];
            lineLength = 0;
            return;
        }
        if (lineLength + n > line.length) {
            line = Arrays.copyOf(line, Math.min(maxLineBytes + 1, Math.max(line.length * 2, lineLength + n)));
        }
        System.arraycopy(buffer, from, line, lineLength, n);
        lineLength += n;
    }

    private Item finish(boolean newline) {
        long start = lineStart;
        long end = offset;
        lineStart = end;
        long length = end - start - (newline ? 1 : 0) - (lastByteWasCr ? 1 : 0);
        lastByteWasCr = false;
        if (sample != null) {
            // a sample taken before the line end was known may hold its CR
            byte[] first = sample.length > length ? Arrays.copyOf(sample, (int) length) : sample;
            sample = null;
            return new LongLine(start, end, length, first);
        }
        int n = (int) length;
        lineLength = 0;
        if (n > maxLineBytes) {
            return new LongLine(start, end, length, Arrays.copyOf(line, Math.min(SAMPLE_BYTES, n)));
        }
        return new Line(start, end, Arrays.copyOf(line, n));
    }
}
