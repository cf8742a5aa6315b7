package io.kinesisbridge.dispatch.spool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A stream's spool on disk: numbered segment files of frames ({@link SpoolFrames}) appended at the tail, read from
 * a cursor, and released from the head as their records are acknowledged; a released segment is deleted whole, and
 * the head is kept in a small checkpoint file. Bounded by {@link SpoolSettings#maxBytes()}.
 *
 * <p>Opening recovers: segments before the checkpoint are deleted, the rest are read through; damaged bytes between
 * good frames are copied to a {@code .corrupt} file next to their segment and skipped (logged, counted), and an
 * incomplete last frame (a crash in mid-write) is cut off.
 *
 * <p>Not thread-safe: {@link StreamSpool} uses it from one thread.
 */
final class SpoolStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpoolStore.class);
    private static final String SEGMENT_SUFFIX = ".seg";
    private static final String HEAD_FILE = "head";

    /** What opening found. */
    record Recovery(long records, long bytes, int corruptRanges, long corruptBytes, long tornBytes) {
    }

    private final SpoolSettings settings;
    private final ChannelOpener opener;
    /** Segment index → size in bytes of every segment not yet deleted. */
    private final TreeMap<Long, Long> segments = new TreeMap<>();
    private SpoolPosition head = SpoolPosition.START;
    private SpoolPosition cursor = SpoolPosition.START;
    private FileChannel tail;
    private long tailIndex = -1;
    private FileChannel reading;
    private long readingIndex = -1;
    private long records;
    private long bytes;
    private long unsynced;
    private long writeErrors;
    private Recovery recovery;

    private SpoolStore(SpoolSettings settings, ChannelOpener opener) {
        this.settings = settings;
        this.opener = opener;
    }

    static SpoolStore open(SpoolSettings settings) throws IOException {
        return open(settings, ChannelOpener.DEFAULT);
    }

    static SpoolStore open(SpoolSettings settings, ChannelOpener opener) throws IOException {
        SpoolStore store = new SpoolStore(settings, opener);
        store.recover();
        return store;
    }

    Recovery recovery() {
        return recovery;
    }

    /** Records written and not yet released. */
    long records() {
        return records;
    }

    /** Frame bytes written and not yet released. */
    long bytes() {
        return bytes;
    }

    /** Writes that failed (a full disk, say) since the spool was opened. */
    long writeErrors() {
        return writeErrors;
    }

    /** Records written and not yet read since the spool was opened. */
    boolean hasUnread() {
        return cursor.compareTo(tailPosition()) < 0;
    }

    SpoolPosition head() {
        return head;
    }

    // ---- recovery --------------------------------------------------------------------------------------------

    private void recover() throws IOException {
        Path dir = settings.dir();
        if (!Files.isDirectory(dir)) {
            recovery = new Recovery(0, 0, 0, 0, 0);
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(SEGMENT_SUFFIX) && name.length() == 20 + SEGMENT_SUFFIX.length()) {
                    try {
                        segments.put(Long.parseLong(name.substring(0, 20)), Files.size(f));
                    } catch (NumberFormatException e) {
                        LOG.warn("Spool {}: ignoring {}, not a segment name", dir, name);
                    }
                }
            }
        }
        head = readHead().orElse(segments.isEmpty() ? SpoolPosition.START : new SpoolPosition(segments.firstKey(), 0));
        for (Long index : new ArrayList<>(segments.headMap(head.segment()).keySet())) {
            Files.deleteIfExists(segmentPath(index));
            segments.remove(index);
        }
        if (segments.isEmpty()) {
            head = new SpoolPosition(head.segment(), 0);
        } else if (segments.firstKey() > head.segment()) {
            head = new SpoolPosition(segments.firstKey(), 0); // the head's segment was released whole
        }
        long found = 0;
        long foundBytes = 0;
        int corruptRanges = 0;
        long corruptBytes = 0;
        long torn = 0;
        for (Map.Entry<Long, Long> segment : new ArrayList<>(segments.entrySet())) {
            long index = segment.getKey();
            long size = segment.getValue();
            boolean last = index == segments.lastKey();
            long pos = index == head.segment() ? Math.min(head.offset(), size) : 0;
            long firstRecord = pos;
            try (FileChannel ch = opener.open(segmentPath(index), Set.of(StandardOpenOption.READ))) {
                while (true) {
                    SpoolFrames.Next next = SpoolFrames.next(ch, pos, size);
                    if (next instanceof SpoolFrames.Frame f) {
                        found++;
                        foundBytes += f.bytes();
                        pos = f.end();
                    } else if (next instanceof SpoolFrames.Skip s) {
                        corruptRanges++;
                        corruptBytes += s.resumeAt() - s.start();
                        foundBytes += s.resumeAt() - s.start();
                        quarantine(ch, index, s.start(), s.resumeAt());
                        pos = s.resumeAt();
                    } else if (next instanceof SpoolFrames.Torn t) {
                        if (last) {
                            torn += t.limit() - t.start();
                            LOG.warn("Spool {}: cut {} bytes of an unfinished write at the end of segment {} (a crash "
                                    + "while writing; those records were not acknowledged to their sources)",
                                    dir, t.limit() - t.start(), index);
                            pos = t.start();
                        } else {
                            corruptRanges++;
                            corruptBytes += t.limit() - t.start();
                            foundBytes += t.limit() - t.start();
                            quarantine(ch, index, t.start(), t.limit());
                            pos = t.limit();
                        }
                        break;
                    } else {
                        break;
                    }
                }
            }
            if (last && pos < size) {
                try (FileChannel ch = opener.open(segmentPath(index), Set.of(StandardOpenOption.WRITE))) {
                    ch.truncate(pos);
                }
                segments.put(index, pos);
                size = pos;
            }
            if (index == head.segment() && firstRecord != head.offset()) {
                head = new SpoolPosition(index, firstRecord);
            }
        }
        records = found;
        bytes = foundBytes;
        cursor = head;
        recovery = new Recovery(found, foundBytes, corruptRanges, corruptBytes, torn);
        if (found > 0 || corruptRanges > 0) {
            LOG.info("Spool {}: {} records ({} bytes) kept from before{}", dir, found, foundBytes,
                    corruptRanges == 0 ? "" : "; " + corruptRanges + " damaged ranges (" + corruptBytes
                            + " bytes) skipped and copied to .corrupt files");
        }
    }

    /** Copies damaged bytes next to their segment, so that they can be looked at; they are never sent. */
    private void quarantine(FileChannel ch, long index, long from, long to) throws IOException {
        Path target = settings.dir().resolve(segmentName(index) + SEGMENT_SUFFIX + ".corrupt");
        LOG.error("Spool {}: segment {} has {} damaged bytes at offset {}; they are skipped and copied to {}",
                settings.dir(), index, to - from, from, target);
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            long pos = from;
            while (pos < to) {
                long n = ch.transferTo(pos, to - pos, out);
                if (n <= 0) {
                    break;
                }
                pos += n;
            }
        }
    }

    private java.util.Optional<SpoolPosition> readHead() {
        Path file = settings.dir().resolve(HEAD_FILE);
        try {
            String[] parts = Files.readString(file, StandardCharsets.US_ASCII).trim().split(" ");
            if (parts.length == 3 && parts[0].equals("v1")) {
                return java.util.Optional.of(new SpoolPosition(Long.parseLong(parts[1]), Long.parseLong(parts[2])));
            }
            LOG.warn("Spool {}: head checkpoint unreadable; reading every segment from its start", settings.dir());
        } catch (NoSuchFileException e) {
            return java.util.Optional.empty();
        } catch (IOException | NumberFormatException e) {
            LOG.warn("Spool {}: head checkpoint unreadable ({}); reading every segment from its start", settings.dir(), e.toString());
        }
        return java.util.Optional.empty();
    }

    // ---- writing ---------------------------------------------------------------------------------------------

    /**
     * Writes the longest prefix of {@code frames} that fits the cap (at least the first when the spool is empty)
     * and returns how many it wrote; 0 when the spool is full. On a write error (a full disk, say) the frame being
     * written is cut off again: the call returns the frames written before it, or throws when there are none.
     */
    int append(List<byte[]> frames) throws IOException {
        int fit = 0;
        long total = 0;
        for (byte[] f : frames) {
            if (bytes + total + f.length > settings.maxBytes() && !(bytes == 0 && fit == 0)) {
                break;
            }
            total += f.length;
            fit++;
        }
        int written = 0;
        while (written < fit) {
            try {
                ensureTail(frames.get(written).length);
            } catch (IOException e) {
                writeErrors++;
                if (written == 0) {
                    throw e;
                }
                return written;
            }
            long segmentSize = segments.get(tailIndex);
            long room = Math.max(settings.segmentBytes() - segmentSize, 0);
            int n = 0;
            long chunk = 0;
            while (written + n < fit && (n == 0 || chunk + frames.get(written + n).length <= room)) {
                chunk += frames.get(written + n).length;
                n++;
            }
            ByteBuffer[] buffers = new ByteBuffer[n];
            for (int i = 0; i < n; i++) {
                buffers[i] = ByteBuffer.wrap(frames.get(written + i));
            }
            try {
                long left = chunk;
                while (left > 0) {
                    left -= tail.write(buffers);
                }
            } catch (IOException e) {
                writeErrors++;
                undo(segmentSize, written);
                // a nearly full disk: keep what fits, one frame at a time, then give up
                int single = n > 1 && tail != null ? writeOneByOne(frames, written, n, segmentSize) : 0;
                written += single;
                if (written == 0) {
                    throw e;
                }
                LOG.warn("Spool {}: write failed after {} records: {}", settings.dir(), written, e.toString());
                return written;
            }
            segments.put(tailIndex, segmentSize + chunk);
            bytes += chunk;
            records += n;
            unsynced += chunk;
            written += n;
        }
        return written;
    }

    /** Writes frames from {@code from} one by one at the end of the tail segment until one fails; how many went. */
    private int writeOneByOne(List<byte[]> frames, int from, int count, long segmentSize) {
        long size = segmentSize;
        int done = 0;
        for (int i = from; i < from + count; i++) {
            ByteBuffer b = ByteBuffer.wrap(frames.get(i));
            try {
                while (b.hasRemaining()) {
                    tail.write(b);
                }
            } catch (IOException e) {
                undo(size, done);
                break;
            }
            size += frames.get(i).length;
            done++;
        }
        if (done > 0) {
            long chunk = size - segmentSize;
            segments.put(tailIndex, size);
            bytes += chunk;
            records += done;
            unsynced += chunk;
        }
        return done;
    }

    /** Cuts the tail segment back to {@code size} after a failed write; earlier chunks of the same call stay. */
    private void undo(long size, int keptRecords) {
        try {
            tail.truncate(size);
            tail.position(size);
        } catch (IOException e) {
            LOG.error("Spool {}: could not cut back a failed write ({}); the spool is closed for writing", settings.dir(), e.toString());
            closeQuietly(tail);
            tail = null;
        }
        LOG.debug("Spool {}: write failed after {} records", settings.dir(), keptRecords);
    }

    /** Makes sure a segment is open for writing with room for a frame of {@code frameBytes} (or empty). */
    private void ensureTail(int frameBytes) throws IOException {
        if (tail != null) {
            long size = segments.get(tailIndex);
            if (size == 0 || size + frameBytes <= settings.segmentBytes()) {
                return;
            }
            if (settings.fsync() != FsyncPolicy.NEVER && unsynced > 0) {
                tail.force(false);
                unsynced = 0;
            }
            tail.close();
            tail = null;
            openSegment(tailIndex + 1);
            return;
        }
        Files.createDirectories(settings.dir());
        if (segments.isEmpty()) {
            openSegment(head.segment());
        } else {
            long last = segments.lastKey();
            long size = segments.get(last);
            if (size > 0 && size + frameBytes > settings.segmentBytes()) {
                openSegment(last + 1);
            } else {
                tail = opener.open(segmentPath(last), Set.of(StandardOpenOption.WRITE));
                tail.position(size);
                tailIndex = last;
            }
        }
    }

    private void openSegment(long index) throws IOException {
        tail = opener.open(segmentPath(index), Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE));
        tail.truncate(0);
        tail.position(0);
        tailIndex = index;
        segments.put(index, 0L);
        if (settings.fsync() == FsyncPolicy.ALWAYS) {
            syncDirectory();
        }
    }

    /** Forces what was written to the disk. */
    void sync() throws IOException {
        if (unsynced > 0) {
            if (tail == null) {
                // a failed write could not be cut back and closed the tail: what it kept cannot be forced
                throw new IOException("the spool's segment was closed after a failed write; " + unsynced
                        + " bytes written are not forced to the disk");
            }
            tail.force(false);
        }
        unsynced = 0;
    }

    /** The spool's end as it is now, for {@link #rollback}. */
    Mark mark() {
        long last = segments.isEmpty() ? -1 : segments.lastKey();
        return new Mark(last, last < 0 ? 0 : segments.get(last), records, bytes);
    }

    /** See {@link #mark}: the last segment and its size, and the totals, before an append. */
    record Mark(long lastSegment, long lastSegmentSize, long records, long bytes) {
    }

    /**
     * Takes back what was appended since {@code mark}: segments created since are deleted, the segment that was last
     * is cut back to its size then. For an append whose fsync failed: its records go back to their sources, so their
     * frames must not stay on disk to be forwarded as well (twice sent, and counted by nobody).
     */
    void rollback(Mark mark) throws IOException {
        closeQuietly(tail);
        tail = null; // the next append reopens the last segment at its end
        for (Long index : new ArrayList<>(segments.tailMap(mark.lastSegment(), false).keySet())) {
            if (readingIndex == index) {
                closeQuietly(reading);
                reading = null;
                readingIndex = -1;
            }
            Files.deleteIfExists(segmentPath(index));
            segments.remove(index);
        }
        if (mark.lastSegment() >= 0 && segments.containsKey(mark.lastSegment())) {
            try (FileChannel channel = opener.open(segmentPath(mark.lastSegment()), Set.of(StandardOpenOption.WRITE))) {
                channel.truncate(mark.lastSegmentSize());
            }
            segments.put(mark.lastSegment(), mark.lastSegmentSize());
        }
        records = mark.records();
        bytes = mark.bytes();
        unsynced = 0;
        writeErrors++;
    }

    boolean hasUnsynced() {
        return unsynced > 0;
    }

    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(settings.dir(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            LOG.debug("Spool {}: directory not synced: {}", settings.dir(), e.toString());
        }
    }

    // ---- reading ---------------------------------------------------------------------------------------------

    /** Up to {@code maxRecords} records and about {@code maxBytes} (at least one record) after the read cursor. */
    List<SpoolRead> read(int maxRecords, long maxBytes) throws IOException {
        List<SpoolRead> out = new ArrayList<>();
        long taken = 0;
        while (out.size() < maxRecords && (out.isEmpty() || taken < maxBytes)) {
            Long size = segments.get(cursor.segment());
            if (size == null) {
                Long nextIndex = segments.higherKey(cursor.segment());
                if (nextIndex == null) {
                    break;
                }
                cursor = new SpoolPosition(nextIndex, 0);
                continue;
            }
            if (cursor.offset() >= size) {
                Long nextIndex = segments.higherKey(cursor.segment());
                if (nextIndex == null) {
                    break;
                }
                cursor = new SpoolPosition(nextIndex, 0);
                continue;
            }
            SpoolFrames.Next next;
            try {
                next = SpoolFrames.next(readChannel(cursor.segment()), cursor.offset(), size);
            } catch (IOException | RuntimeException | OutOfMemoryError e) {
                if (out.isEmpty()) {
                    throw e;
                }
                // the cursor is already past the frames read so far: hand them out, and the next read meets the error
                return out;
            }
            if (next instanceof SpoolFrames.Frame f) {
                cursor = new SpoolPosition(cursor.segment(), f.end());
                out.add(new SpoolRead(f.record(), cursor));
                taken += f.bytes();
            } else if (next instanceof SpoolFrames.Skip s) {
                cursor = new SpoolPosition(cursor.segment(), s.resumeAt());
            } else if (next instanceof SpoolFrames.Torn t) {
                cursor = new SpoolPosition(cursor.segment(), t.limit());
            } else {
                break;
            }
        }
        return out;
    }

    private FileChannel readChannel(long index) throws IOException {
        if (readingIndex != index || reading == null) {
            closeQuietly(reading);
            reading = opener.open(segmentPath(index), Set.of(StandardOpenOption.READ));
            readingIndex = index;
        }
        return reading;
    }

    private SpoolPosition tailPosition() {
        if (segments.isEmpty()) {
            return head;
        }
        long last = segments.lastKey();
        return new SpoolPosition(last, segments.get(last));
    }

    // ---- releasing -------------------------------------------------------------------------------------------

    /**
     * Marks everything before {@code end} as done ({@code releasedRecords} records): deletes the segments wholly
     * before it and writes the checkpoint. Damaged ranges in between are released with them.
     */
    void release(SpoolPosition end, long releasedRecords) throws IOException {
        if (end.compareTo(head) <= 0) {
            return;
        }
        long freed = 0;
        for (Map.Entry<Long, Long> s : segments.subMap(head.segment(), true, end.segment(), true).entrySet()) {
            long from = s.getKey() == head.segment() ? head.offset() : 0;
            long to = s.getKey() == end.segment() ? end.offset() : s.getValue();
            freed += Math.max(0, to - from);
        }
        head = end;
        // a segment that is wholly released and no longer written to goes
        for (Long index : new ArrayList<>(segments.headMap(end.segment(), false).keySet())) {
            delete(index);
        }
        Long after = segments.higherKey(end.segment());
        if (after != null && end.segment() != tailIndex && segments.containsKey(end.segment())
                && end.offset() >= segments.get(end.segment())) {
            delete(end.segment());
            head = new SpoolPosition(after, 0);
        }
        bytes = Math.max(0, bytes - freed);
        records = Math.max(0, records - releasedRecords);
        if (records == 0) {
            bytes = 0;
        }
        writeHead();
    }

    private void delete(long index) throws IOException {
        if (index == readingIndex) {
            closeQuietly(reading);
            reading = null;
            readingIndex = -1;
        }
        if (index == tailIndex) {
            closeQuietly(tail);
            tail = null;
            tailIndex = -1;
        }
        Files.deleteIfExists(segmentPath(index));
        segments.remove(index);
    }

    private void writeHead() throws IOException {
        if (!Files.isDirectory(settings.dir())) {
            return;
        }
        Path target = settings.dir().resolve(HEAD_FILE);
        Path tmp = settings.dir().resolve(HEAD_FILE + ".tmp");
        Files.writeString(tmp, "v1 " + head.segment() + " " + head.offset() + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private Path segmentPath(long index) {
        return settings.dir().resolve(segmentName(index) + SEGMENT_SUFFIX);
    }

    private static String segmentName(long index) {
        return String.format("%020d", index);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing to do: the channel is gone either way
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (tail != null && unsynced > 0 && settings.fsync() != FsyncPolicy.NEVER) {
                tail.force(false);
            }
        } finally {
            closeQuietly(tail);
            closeQuietly(reading);
            tail = null;
            reading = null;
        }
    }
}
