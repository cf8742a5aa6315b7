package io.kinesisbridge.backend.memory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The sequence numbers versions of the in-memory backend before AWS's layout ({@link ShardNumbering}) issued:
 * 56 decimal digits, {@code 49} + the shard's index in 6 digits + the record's position in its shard in 48 digits.
 * AWS would take none of them (they lie between its layouts); a shard restored from such a journal keeps issuing
 * them, so that its records keep their numbers.
 */
final class LegacySequenceNumbers {

    static final int LENGTH = 56;
    private static final String PREFIX = "49";

    private LegacySequenceNumbers() {}

    static String format(int shardIndex, long position) {
        // digits written from the right into Latin-1 bytes: one array and one copy into the String, where appending
        // 56 chars one by one to a StringBuilder was 9 % of the CPU of NDJSON ingestion in a profile
        byte[] digits = new byte[LENGTH];
        Arrays.fill(digits, (byte) '0');
        digits[0] = '4';
        digits[1] = '9';
        writeDigits(digits, 8, shardIndex);
        writeDigits(digits, LENGTH, position);
        return new String(digits, StandardCharsets.ISO_8859_1);
    }

    /** Writes the decimal digits of a non-negative {@code value} so that its last digit is at {@code end - 1}. */
    private static void writeDigits(byte[] into, int end, long value) {
        int at = end;
        long v = value;
        do {
            into[--at] = (byte) ('0' + (v % 10));
            v /= 10;
        } while (v != 0);
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
        // a position beyond a long (19 digits at most) is not one we issued
        if (positionDigits.substring(0, 48 - 19).chars().anyMatch(c -> c != '0')) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Position(
                    Integer.parseInt(sequenceNumber.substring(2, 8)),
                    Long.parseLong(positionDigits.substring(48 - 19))));
        } catch (NumberFormatException e) {
            return Optional.empty(); // 19 digits past Long.MAX_VALUE
        }
    }

    record Position(int shardIndex, long position) {}
}
