package io.kinesisbridge.backend.memory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * One shard's records on disk: an append-only file of checksummed frames
 * {@code [int length][int crc32c][long position][long arrivalMillis][int keyLength][key][data]}, and a small
 * file holding the first position still kept (the memory cap trims from the front). A torn frame at the end
 * (a crash mid-write) is cut off on load. Not thread-safe: its shard locks around it.
 */
final class ShardJournal implements AutoCloseable {

    private static final int HEADER = 8;
    private static final int MAX_FRAME = 16 << 20;

    private final Path file;
    private final Path trimFile;
    private final boolean fsync;
    private FileChannel channel;
    private OutputStream out;
    private long fileBytes;
    private long trimmedFrameBytes;
    private boolean dirty;

    private ShardJournal(Path file, boolean fsync) {
        this.file = file;
        this.trimFile = Path.of(file + ".trim");
        this.fsync = fsync;
    }

    /** Opens (creating if needed) the journal of a shard and returns it with the records it holds. */
    static Loaded open(Path file, boolean fsync) {
        ShardJournal journal = new ShardJournal(file, fsync);
        try {
            Files.createDirectories(file.getParent());
            long keepFrom = Files.exists(journal.trimFile)
                    ? Long.parseLong(Files.readString(journal.trimFile).trim())
                    : 0;
            List<StoredRecord> records = new ArrayList<>();
            long good = 0;
            long trimmedBytes = 0;
            if (Files.exists(file)) {
                try (DataInputStream in =
                        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
                    while (true) {
                        StoredRecord r = readFrame(in);
                        if (r == null) {
                            break;
                        }
                        long frame = frameLength(r);
                        good += frame;
                        if (r.position() >= keepFrom) {
                            records.add(r);
                        } else {
                            trimmedBytes += frame;
                        }
                    }
                }
            }
            journal.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (journal.channel.size() > good) {
                journal.channel.truncate(good); // a torn last frame from a crash: the put was never acknowledged
            }
            journal.channel.position(good);
            journal.out = new BufferedOutputStream(Channels.newOutputStream(journal.channel), 1 << 16);
            journal.fileBytes = good;
            journal.trimmedFrameBytes = trimmedBytes;
            return new Loaded(journal, records, keepFrom);
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot open the journal " + file + ": " + e.getMessage(), e);
        }
    }

    record Loaded(ShardJournal journal, List<StoredRecord> records, long keepFrom) {}

    void append(StoredRecord r) {
        byte[] key = r.partitionKey().getBytes(StandardCharsets.UTF_8);
        int payload = 8 + 8 + 4 + key.length + r.data().length;
        ByteBuffer b = ByteBuffer.allocate(HEADER + payload);
        b.putInt(payload)
                .putInt(0)
                .putLong(r.position())
                .putLong(r.arrivalMillis())
                .putInt(key.length)
                .put(key)
                .put(r.data());
        CRC32C crc = new CRC32C();
        crc.update(b.array(), HEADER, payload);
        b.putInt(4, (int) crc.getValue());
        try {
            out.write(b.array());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the journal " + file, e);
        }
        fileBytes += HEADER + payload;
        dirty = true;
    }

    /** Hands what was appended to the operating system (and to the disk, with fsync on). */
    void flush() {
        if (!dirty) {
            return;
        }
        try {
            out.flush();
            if (fsync) {
                channel.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the journal " + file, e);
        }
        dirty = false;
    }

    /**
     * Records that positions below {@code firstKept} are gone; rewrites the file once most of it is trimmed.
     *
     * @param kept the records still held, in order, asked for only when the file is rewritten
     */
    void trimmed(long firstKept, long frameBytesTrimmed, Supplier<List<StoredRecord>> kept) {
        trimmedFrameBytes += frameBytesTrimmed;
        try {
            writeAtomically(trimFile, Long.toString(firstKept).getBytes(StandardCharsets.US_ASCII));
            if (trimmedFrameBytes > (1 << 20) && trimmedFrameBytes * 2 > fileBytes) {
                compact(kept.get());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot trim the journal " + file, e);
        }
    }

    private void compact(List<StoredRecord> kept) throws IOException {
        flush();
        out.close();
        Path tmp = Path.of(file + ".compact");
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            this.out = o;
            this.fileBytes = 0;
            for (StoredRecord r : kept) {
                append(r);
            }
            o.flush();
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        channel = FileChannel.open(file, StandardOpenOption.WRITE);
        channel.position(channel.size());
        out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
        trimmedFrameBytes = 0;
        dirty = false;
    }

    static long frameLength(StoredRecord r) {
        return HEADER + 8 + 8 + 4 + r.partitionKey().getBytes(StandardCharsets.UTF_8).length + r.data().length;
    }

    /** The next frame, or null at the end or at a torn or corrupt frame. */
    private static StoredRecord readFrame(DataInputStream in) throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            return null;
        }
        if (length < 20 || length > MAX_FRAME) {
            return null;
        }
        int crc;
        byte[] payload = new byte[length];
        try {
            crc = in.readInt();
            in.readFully(payload);
        } catch (EOFException e) {
            return null;
        }
        CRC32C check = new CRC32C();
        check.update(payload);
        if ((int) check.getValue() != crc) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        long position = b.getLong();
        long arrival = b.getLong();
        int keyLength = b.getInt();
        if (keyLength < 0 || keyLength > length - 20) {
            return null;
        }
        String key = new String(payload, 20, keyLength, StandardCharsets.UTF_8);
        byte[] data = new byte[length - 20 - keyLength];
        System.arraycopy(payload, 20 + keyLength, data, 0, data.length);
        return new StoredRecord(position, key, data, arrival);
    }

    static void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = Path.of(target + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() {
        try {
            flush();
            out.close();
        } catch (IOException | UncheckedIOException e) {
            // closing at shutdown: what could not be written was never acknowledged
        }
    }
}
