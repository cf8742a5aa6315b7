package io.kinesisbridge.backend.memory;

import java.util.Optional;

/**
 * Sequence numbers of the in-memory backend: 56 decimal digits like AWS's, {@code 49} + the shard's index in
 * 6 digits + the record's position in its shard in 48 digits. Strictly increasing within a shard in arrival
 * order, and a sequence number alone tells where its record lies.
 */
final class SequenceNumbers {

    static final int LENGTH = 56;
    private static final String PREFIX = "49";

    private SequenceNumbers() {
    }

    static String format(int shardIndex, long position) {
        StringBuilder s = new StringBuilder(LENGTH).append(PREFIX);
        appendPadded(s, shardIndex, 6);
        appendPadded(s, position, 48);
        return s.toString();
    }

    /** The shard index and position a sequence number names, or empty when it is not one of ours. */
    static Optional<Position> parse(String sequenceNumber) {
        if (sequenceNumber == null || sequenceNumber.length() != LENGTH || !sequenceNumber.startsWith(PREFIX)) {
            return Optional.empty();
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = sequenceNumber.charAt(i);
            if (c < '0' || c > '9') {
                return Optional.empty();
            }
        }
        String positionDigits = sequenceNumber.substring(8);
        // a position beyond a long is not one we issued
        if (positionDigits.substring(0, 48 - 18).chars().anyMatch(c -> c != '0')) {
            return Optional.empty();
        }
        return Optional.of(new Position(Integer.parseInt(sequenceNumber.substring(2, 8)),
                Long.parseLong(positionDigits.substring(48 - 18))));
    }

    record Position(int shardIndex, long position) {
    }

    private static void appendPadded(StringBuilder s, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            s.append('0');
        }
        s.append(digits);
    }
}
