package io.kinesisbridge.dispatch.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream's spool on disk: numbered segment files of frames ({@link SpoolFrames}) appended at the tail, read from
 * a cursor, and released from the head as their records are acknowledged; a released segment is deleted whole, and
 * the head is kept in a small checkpoint file. Bounded by {@link SpoolSettings#maxBytes()}.
 *
 * <p>Opening recovers ({@link SpoolRecovery}): segments before the checkpoint are deleted, damaged bytes are copied
 * aside and skipped, an incomplete last frame is cut off. File names and the checkpoint are {@link SegmentFiles}'.
 *
 * <p>Not thread-safe: {@link StreamSpool} uses it from one thread.
 */
final class SpoolStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpoolStore.class);

    /** What opening found. */
    record Recovery(long records, long bytes, int corruptRanges, long corruptBytes, long tornBytes) {}

    private final SpoolSettings settings;
    private final ChannelOpener opener;
    private final SegmentFiles files;
    /** Segment index → size in bytes of every segment not yet deleted. */
    private TreeMap<Long, Long> segments = new TreeMap<>();

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
        this.files = new SegmentFiles(settings.dir());
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

    /** See {@link SpoolRecovery}. */
    private void recover() throws IOException {
        SpoolRecovery.Recovered found = new SpoolRecovery(files, opener).recover();
        segments = found.segments();
        head = found.head();
        cursor = head;
        recovery = found.found();
        records = recovery.records();
        bytes = recovery.bytes();
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
            LOG.error(
                    "Spool {}: could not cut back a failed write ({}); the spool is closed for writing",
                    settings.dir(),
                    e.toString());
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
    record Mark(long lastSegment, long lastSegmentSize, long records, long bytes) {}

    /**
     * Takes back what was appended since {@code mark}: segments created since are deleted, the segment that was last
     * is cut back to its size then. For an append whose fsync failed: its records go back to their sources, so their
     * frames must not stay on disk to be forwarded as well (twice sent, and counted by nobody).
     */
    void rollback(Mark mark) throws IOException {
        closeQuietly(tail);
        tail = null; // the next append reopens the last segment at its end
        for (Long index :
                new ArrayList<>(segments.tailMap(mark.lastSegment(), false).keySet())) {
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
        for (Map.Entry<Long, Long> s :
                segments.subMap(head.segment(), true, end.segment(), true).entrySet()) {
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
        if (after != null
                && end.segment() != tailIndex
                && segments.containsKey(end.segment())
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
        files.writeHead(head);
    }

    private Path segmentPath(long index) {
        return files.segment(index);
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
