package io.kinesisbridge.backend.memory;

import io.kinesisbridge.put.SequenceNumber;
import io.kinesisbridge.put.ShardRange;
import java.util.Optional;

/**
 * How one shard numbers its records, and where a sequence number given back to it (GetShardIterator) points.
 *
 * <p>A shard numbers as AWS does today ({@link SequenceNumber} version 2): its creation second and index, the
 * record's place and arrival second. Its StartingSequenceNumber has place 0 and the record at position p has place
 * p + 1, so the starting number lies below every record's (an AFTER_SEQUENCE_NUMBER iterator from it reads the
 * first record). A shard restored from a journal of an earlier version keeps that version's {@link
 * LegacySequenceNumbers} for its records, with a starting number of AWS's oldest layout (version 0), which lies
 * below them.
 */
final class ShardNumbering {

    private final int shardIndex;
    private final long createSeconds;
    private final boolean legacy;
    private final SequenceNumber start;
    private final String starting;
    private final SequenceNumber.ShardLayout layout;

    private ShardNumbering(int shardIndex, long createSeconds, boolean legacy) {
        this.shardIndex = shardIndex;
        this.createSeconds = createSeconds;
        this.legacy = legacy;
        this.start = legacy
                ? new SequenceNumber(0, createSeconds, shardIndex & 0xFFFF, 0, 0, 0, 0)
                : SequenceNumber.of(createSeconds, shardIndex, 0, createSeconds);
        this.starting = start.format();
        this.layout = legacy ? null : new SequenceNumber.ShardLayout(createSeconds, shardIndex, 0);
    }

    /** A new shard, created at {@code createSeconds}. */
    static ShardNumbering aws(int shardIndex, long createSeconds) {
        return new ShardNumbering(shardIndex, createSeconds, false);
    }

    /** A shard restored from a journal written before AWS's layout: its records keep their numbers. */
    static ShardNumbering legacy(int shardIndex, long createSeconds) {
        return new ShardNumbering(shardIndex, createSeconds, true);
    }

    boolean isLegacy() {
        return legacy;
    }

    long createSeconds() {
        return createSeconds;
    }

    /** The shard's StartingSequenceNumber: below every record's. */
    String starting() {
        return starting;
    }

    String ofRecord(long position, long arrivalMillis) {
        if (legacy) {
            return LegacySequenceNumbers.format(shardIndex, position);
        }
        return layout.format(position + 1, Math.max(0, arrivalMillis / 1000));
    }

    /** A closed shard's EndingSequenceNumber: that of its last record, or its starting number when it got none. */
    String ending(long nextPosition, long lastArrivalMillis) {
        if (legacy) {
            return LegacySequenceNumbers.format(shardIndex, Math.max(0, nextPosition - 1));
        }
        return SequenceNumber.of(
                        createSeconds, shardIndex, nextPosition, Math.max(createSeconds, lastArrivalMillis / 1000))
                .format();
    }

    /** Where a sequence number points in this shard, or why it points nowhere in it. */
    sealed interface Location {}

    /**
     * The positions AT_SEQUENCE_NUMBER and AFTER_SEQUENCE_NUMBER iterators start at: the record numbered so and
     * the one after it (both the first record for the starting number).
     */
    record Found(long at, long after) implements Location {}

    /** No sequence number at all. */
    record Malformed() implements Location {}

    /** A sequence number of another shard: {@code encodedShardId} is the one it names. */
    record OtherShard(String encodedShardId) implements Location {}

    /**
     * A sequence number of this shard's index but of another stream (or another incarnation of this one);
     * {@code oldestLayout} when it is of version 0, which Kinesis answers with an InternalFailure.
     */
    record OtherStream(boolean oldestLayout) implements Location {}

    Location locate(String sequenceNumber) {
        Optional<SequenceNumber> parsed = SequenceNumber.parse(sequenceNumber);
        if (parsed.isPresent()) {
            SequenceNumber n = parsed.get();
            long expected = n.version() == 0 ? shardIndex & 0xFFFF : shardIndex; // version 0 has 16 bits for it
            if (n.shardIndex() != expected) {
                return new OtherShard(n.shardId());
            }
            if (n.version() != start.version() || n.shardCreateSeconds() != createSeconds) {
                return new OtherStream(n.version() == 0);
            }
            if (legacy) {
                return new Found(0, 0); // the starting number: only it is of version 0 here
            }
            long place = n.sequenceIndex();
            return new Found(Math.max(0, place - 1), place);
        }
        Optional<LegacySequenceNumbers.Position> old = LegacySequenceNumbers.parse(sequenceNumber);
        if (old.isEmpty()) {
            return new Malformed();
        }
        if (old.get().shardIndex() != shardIndex) {
            return new OtherShard(ShardRange.shardId(old.get().shardIndex()));
        }
        if (!legacy) {
            return new OtherStream(false);
        }
        long p = old.get().position();
        return new Found(p, p == Long.MAX_VALUE ? p : p + 1);
    }

    /** Whether this shard issued a number of the earlier layout at a position below {@code nextPosition}. */
    boolean issuedLegacy(String sequenceNumber, long nextPosition) {
        return legacy
                && LegacySequenceNumbers.parse(sequenceNumber)
                        .filter(p -> p.shardIndex() == shardIndex && p.position() < nextPosition)
                        .isPresent();
    }
}
