package io.kinesisbridge.dispatch.spool;

import io.kinesisbridge.dispatch.Ordering;
import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.PutRecordValidator;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The spool's file format: a segment is a sequence of frames
 * {@code [magic "KBSP"][int length][int crc32c(length, payload)][payload]}, the payload
 * {@code [u8 version][u8 ordering][int attempts][long firstTakenMillis][u8 n][stream][u16 n][partition key]
 * [u8 n|255][explicit hash key][u8 n|255][sequence number for ordering][int n][data]}, big-endian, strings UTF-8.
 *
 * <p>Reading tells a good frame from a torn or corrupt one by the magic, the length bounds, the checksum (which
 * covers the length too) and a payload that decodes exactly; after a bad frame it finds the next good one by its
 * magic, so one damaged frame costs that frame only.
 */
final class SpoolFrames {

    static final int MAGIC = 0x4B425350;
    static final int HEADER = 12;
    static final int VERSION = 1;
    /** The smallest payload: the fixed fields, a one-character stream and key, no data. */
    static final int MIN_PAYLOAD = 1 + 1 + 4 + 8 + 1 + 1 + 2 + 1 + 1 + 1 + 4;
    /** The largest record (10 MiB of data) with the longest stream name, key, hash key and sequence number. */
    static final int MAX_PAYLOAD =
            MIN_PAYLOAD + PutRecordValidator.LARGEST_MAX_RECORD_SIZE_BYTES + 128 + 1024 + 39 + 129;

    private static final int ABSENT = 255;
    private static final Ordering[] ORDERINGS = Ordering.values();

    private SpoolFrames() {}

    /** The whole frame of a record, header included. */
    static byte[] encode(SpoolRecord r) {
        PutRecordCommand c = r.command();
        byte[] stream = c.streamName().getBytes(StandardCharsets.UTF_8);
        byte[] key = c.partitionKey().getBytes(StandardCharsets.UTF_8);
        byte[] hash =
                c.explicitHashKey().map(h -> h.getBytes(StandardCharsets.UTF_8)).orElse(null);
        byte[] seq = c.sequenceNumberForOrdering()
                .map(s -> s.getBytes(StandardCharsets.UTF_8))
                .orElse(null);
        if (stream.length > 254
                || key.length > 65_535
                || (hash != null && hash.length > 254)
                || (seq != null && seq.length > 254)) {
            throw new IllegalArgumentException("record fields too long for the spool: " + c);
        }
        int payload = 1
                + 1
                + 4
                + 8
                + 1
                + stream.length
                + 2
                + key.length
                + 1
                + (hash == null ? 0 : hash.length)
                + 1
                + (seq == null ? 0 : seq.length)
                + 4
                + c.data().length;
        ByteBuffer b = ByteBuffer.allocate(HEADER + payload);
        b.putInt(MAGIC).putInt(payload).putInt(0);
        b.put((byte) VERSION)
                .put((byte) r.ordering().ordinal())
                .putInt(r.attempts())
                .putLong(r.firstTakenMillis());
        b.put((byte) stream.length).put(stream);
        b.putShort((short) key.length).put(key);
        putOptional(b, hash);
        putOptional(b, seq);
        b.putInt(c.data().length).put(c.data());
        b.putInt(8, checksum(b.array(), 4, payload));
        return b.array();
    }

    private static void putOptional(ByteBuffer b, byte[] value) {
        if (value == null) {
            b.put((byte) ABSENT);
        } else {
            b.put((byte) value.length).put(value);
        }
    }

    /** CRC32C of the length field (4 bytes at {@code lengthAt}) and the {@code payload} bytes after it. */
    private static int checksum(byte[] bytes, int lengthAt, int payload) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, lengthAt, 4);
        crc.update(bytes, lengthAt + 8, payload);
        return (int) crc.getValue();
    }

    /** The record of a payload whose checksum matched, or empty when it does not decode exactly. */
    static Optional<SpoolRecord> decode(byte[] frame, int payloadAt, int length) {
        ByteBuffer b = ByteBuffer.wrap(frame, payloadAt, length).slice();
        try {
            if (b.get() != VERSION) {
                return Optional.empty();
            }
            int ordering = b.get() & 0xFF;
            int attempts = b.getInt();
            long taken = b.getLong();
            String stream = string(b, b.get() & 0xFF);
            String key = string(b, b.getShort() & 0xFFFF);
            Optional<String> hash = optional(b);
            Optional<String> seq = optional(b);
            int dataLength = b.getInt();
            if (ordering >= ORDERINGS.length
                    || attempts < 0
                    || dataLength < 0
                    || dataLength != b.remaining()
                    || stream.isEmpty()
                    || key.isEmpty()) {
                return Optional.empty();
            }
            byte[] data = new byte[dataLength];
            b.get(data);
            return Optional.of(new SpoolRecord(
                    new PutRecordCommand(stream, key, data, hash, seq), ORDERINGS[ordering], attempts, taken));
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String string(ByteBuffer b, int length) {
        byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static Optional<String> optional(ByteBuffer b) {
        int length = b.get() & 0xFF;
        return length == ABSENT ? Optional.empty() : Optional.of(string(b, length));
    }

    // ---- reading a segment -----------------------------------------------------------------------------------

    /** What lies at a position of a segment. */
    sealed interface Next permits Frame, Skip, Torn, End {}

    /** A good frame from {@code start} to {@code end}. */
    record Frame(long start, long end, SpoolRecord record) implements Next {
        int bytes() {
            return (int) (end - start);
        }
    }

    /** Damaged bytes from {@code start}; a good frame starts at {@code resumeAt}. */
    record Skip(long start, long resumeAt) implements Next {}

    /** Damaged or incomplete bytes from {@code start} to the limit, with no good frame after them. */
    record Torn(long start, long limit) implements Next {}

    /** Nothing more before the limit. */
    record End(long at) implements Next {}

    /** What the segment holds at {@code from}, reading no further than {@code limit}. */
    static Next next(FileChannel ch, long from, long limit) throws IOException {
        if (from >= limit) {
            return new End(from);
        }
        Optional<Frame> frame = frameAt(ch, from, limit);
        if (frame.isPresent()) {
            return frame.get();
        }
        long candidate = from + 1;
        while (true) {
            candidate = findMagic(ch, candidate, limit);
            if (candidate < 0) {
                return new Torn(from, limit);
            }
            if (frameAt(ch, candidate, limit).isPresent()) {
                return new Skip(from, candidate);
            }
            candidate++;
        }
    }

    /** The good frame starting exactly at {@code at}, if there is one. */
    static Optional<Frame> frameAt(FileChannel ch, long at, long limit) throws IOException {
        if (limit - at < HEADER + MIN_PAYLOAD) {
            return Optional.empty();
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        readFully(ch, header, at);
        header.flip();
        int magic = header.getInt();
        int length = header.getInt();
        int crc = header.getInt();
        if (magic != MAGIC || length < MIN_PAYLOAD || length > MAX_PAYLOAD || length > limit - at - HEADER) {
            return Optional.empty();
        }
        byte[] frame = new byte[HEADER + length];
        System.arraycopy(header.array(), 0, frame, 0, HEADER);
        readFully(ch, ByteBuffer.wrap(frame, HEADER, length), at + HEADER);
        if (checksum(frame, 4, length) != crc) {
            return Optional.empty();
        }
        return decode(frame, HEADER, length).map(r -> new Frame(at, at + HEADER + length, r));
    }

    /** The first position at or after {@code from} where the magic starts with room for a header, or -1. */
    static long findMagic(FileChannel ch, long from, long limit) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(64 << 10);
        long pos = from;
        while (pos + HEADER <= limit) {
            chunk.clear();
            int want = (int) Math.min(chunk.capacity(), limit - pos);
            chunk.limit(want);
            readFully(ch, chunk, pos);
            byte[] a = chunk.array();
            for (int i = 0; i + 4 <= want; i++) {
                if (a[i] == 'K' && a[i + 1] == 'B' && a[i + 2] == 'S' && a[i + 3] == 'P') {
                    long found = pos + i;
                    return found + HEADER <= limit ? found : -1;
                }
            }
            if (want < 4) {
                return -1;
            }
            pos += want - 3; // a magic may straddle two chunks
        }
        return -1;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        long pos = at;
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                throw new IOException("unexpected end of spool segment at " + pos);
            }
            pos += n;
        }
    }
}
