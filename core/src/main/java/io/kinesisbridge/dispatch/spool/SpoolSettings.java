package io.kinesisbridge.dispatch.spool;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where and how a stream's spool keeps records.
 *
 * @param dir           the stream's own directory (segments, the head checkpoint, quarantined bytes)
 * @param maxBytes      frame bytes the spool may hold; past it an append writes nothing (the spool is full)
 * @param fsync         when written frames are forced to the disk
 * @param fsyncInterval with {@link FsyncPolicy#INTERVAL}: the longest time between a write and its fsync
 * @param segmentBytes  size at which a new segment file is started; a released segment is deleted whole
 */
public record SpoolSettings(Path dir, long maxBytes, FsyncPolicy fsync, Duration fsyncInterval, long segmentBytes) {

    /** 1 GiB per stream: hours of a busy shard's records, a small share of a disk. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;

    public static final long DEFAULT_FSYNC_INTERVAL_MS = 1000;

    public SpoolSettings {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("spool maxBytes must be positive");
        }
        if (segmentBytes < 1) {
            throw new IllegalArgumentException("spool segmentBytes must be positive");
        }
        if (fsyncInterval.isNegative()) {
            throw new IllegalArgumentException("spool fsyncInterval must not be negative");
        }
    }

    /** Segments of an eighth of the cap, between 1 MiB and 64 MiB, so that releasing frees space in steps. */
    public static SpoolSettings of(Path dir, long maxBytes, FsyncPolicy fsync, Duration fsyncInterval) {
        long segment = Math.max(1L << 20, Math.min(64L << 20, maxBytes / 8));
        return new SpoolSettings(dir, maxBytes, fsync, fsyncInterval, segment);
    }

    public SpoolSettings withSegmentBytes(long bytes) {
        return new SpoolSettings(dir, maxBytes, fsync, fsyncInterval, bytes);
    }
}
