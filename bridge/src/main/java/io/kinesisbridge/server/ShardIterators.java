package io.kinesisbridge.server;

import io.kinesisbridge.backend.memory.ShardPosition;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.put.ShardRange;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * Shard iterators: opaque base64 strings that carry a {@link ShardPosition}, the creation time of the stream it
 * belongs to (a stream deleted and created again does not take old iterators) and the time the iterator was
 * issued. Like Kinesis's, an iterator expires five minutes after it was issued (ExpiredIteratorException);
 * GetRecords hands out a fresh one each time. A CRC tells a damaged iterator from a valid one.
 */
public final class ShardIterators {

    /** How long Kinesis honours an iterator. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

    private static final byte VERSION = 1;
    private static final String SHARD_PREFIX = "shardId-";
    private static final DateTimeFormatter AWS_TIME = DateTimeFormatter.ofPattern(
                    "EEE MMM dd HH:mm:ss 'UTC' yyyy", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Clock clock;
    private final Duration ttl;

    public ShardIterators(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    /** What an iterator holds. */
    public record Decoded(ShardPosition position, long streamCreatedMillis, long issuedMillis) {}

    public String encode(ShardPosition position, long streamCreatedMillis) {
        byte[] name = position.streamName().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 8 + 8 + 4 + name.length + 4);
        b.put(VERSION)
                .putLong(clock.millis())
                .putLong(streamCreatedMillis)
                .putLong(position.position())
                .putInt(shardIndex(position.shardId()))
                .put(name);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return Base64.getEncoder().encodeToString(b.array());
    }

    /**
     * The position an iterator names.
     *
     * @throws KinesisException InvalidArgumentException for a string that is not one of ours,
     *                          ExpiredIteratorException for one older than the time to live
     */
    public Decoded decode(String iterator) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(iterator);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (bytes.length < 1 + 8 + 8 + 8 + 4 + 1 + 4 || bytes[0] != VERSION) {
            throw invalid();
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != b.getInt(bytes.length - 4)) {
            throw invalid();
        }
        b.get();
        long issued = b.getLong();
        long created = b.getLong();
        long position = b.getLong();
        int shard = b.getInt();
        String stream = new String(bytes, b.position(), bytes.length - 4 - b.position(), StandardCharsets.UTF_8);
        if (position < 0 || shard < 0) {
            throw invalid();
        }
        long now = clock.millis();
        if (now - issued > ttl.toMillis()) {
            throw KinesisException.of(
                    new KinesisError(
                            KinesisError.EXPIRED_ITERATOR,
                            "Iterator expired. The iterator was created at time "
                                    + AWS_TIME.format(Instant.ofEpochMilli(issued))
                                    + " while right now it is " + AWS_TIME.format(Instant.ofEpochMilli(now))
                                    + " which is further in the future than the tolerated delay of " + ttl.toMillis()
                                    + " milliseconds."),
                    stream,
                    null);
        }
        return new Decoded(new ShardPosition(stream, ShardRange.shardId(shard), position), created, issued);
    }

    private static int shardIndex(String shardId) {
        return Integer.parseInt(shardId.substring(SHARD_PREFIX.length()));
    }

    private static KinesisException invalid() {
        return KinesisException.of(
                new KinesisError(KinesisError.INVALID_ARGUMENT, "Invalid ShardIterator."), null, null);
    }
}
