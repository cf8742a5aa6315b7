package io.kinesisbridge.put;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A Kinesis sequence number read by the layouts AWS has issued. A sequence number is a decimal string whose value,
 * in hexadecimal, packs fields at fixed places; the last hex digit of the 47-digit layouts names the version:
 * <ul>
 * <li>version 2 (AWS's current 56-digit numbers, {@code 49…}): {@code 2} · shard creation seconds (9 hex) · the
 *     shard index's last hex digit · sequence index (16 hex, below 2^63) · a reserved byte · the record's seconds
 *     (9 hex) · shard index (8 hex; a first digit of 8 or more makes it negative) · {@code 2};</li>
 * <li>version 1: {@code 2} · creation seconds · one digit · reserved byte · seconds · 14 random hex · sequence
 *     index (2 hex) · shard index (8 hex) · {@code 1};</li>
 * <li>version 0 (the oldest, 32 hex digits; a value below 2^124 is read as 2^124 more): {@code 1} · creation
 *     seconds · reserved byte · 16 random hex · shard index (4 hex).</li>
 * </ul>
 * Anything else, a version 0 creation time at or past 16025175000 s or a version 2 sequence index of 2^63 or more,
 * is no sequence number: Kinesis answers it with InvalidArgumentException. Versions and places as kinesalite
 * documents them from AWS's answers; where kinesalite 3.3.3 also refuses a version 2 creation time past 2477, AWS
 * took one (kinesalite's test "all f", checked against AWS), and so does this.
 *
 * @param shardIndex     the shard's index: 16 bits unsigned in version 0, 32 bits unsigned in version 1, and in
 *                       version 2 non-negative below 2^31 or minus the 32-bit value when that has its top bit set
 * @param sequenceIndex  the record's place: 63 bits in version 2, 8 bits in version 1, 0 in version 0
 * @param recordSeconds  when the record arrived (versions 1 and 2); 0 in version 0
 * @param reserved       the byte whose use AWS does not say (0 to 255)
 * @param random         version 1: 56 bits, version 0: 64 bits (as a long's bits); 0 in version 2
 */
public record SequenceNumber(int version, long shardCreateSeconds, long shardIndex, long sequenceIndex,
                             long recordSeconds, int reserved, long random) {

    /** Version 0 creation times from this second on are refused (a year past 2477). */
    public static final long MAX_CREATE_SECONDS = 16_025_175_000L;
    private static final long SECONDS_MASK = (1L << 36) - 1;
    private static final BigInteger TWO_124 = BigInteger.ONE.shiftLeft(124);
    private static final BigInteger TWO_129 = BigInteger.ONE.shiftLeft(129);
    private static final BigInteger TWO_185 = BigInteger.ONE.shiftLeft(185);
    private static final BigInteger THREE_184 = BigInteger.valueOf(3).shiftLeft(184);
    private static final int MAX_DIGITS = 129; // the request pattern 0|([1-9]\d{0,128})

    public SequenceNumber {
        if (version < 0 || version > 2) {
            throw new IllegalArgumentException("version must be 0, 1 or 2, got " + version);
        }
        if (shardCreateSeconds < 0 || shardCreateSeconds > SECONDS_MASK
                || (version == 0 && shardCreateSeconds >= MAX_CREATE_SECONDS)) {
            throw new IllegalArgumentException("shard creation seconds out of range: " + shardCreateSeconds);
        }
        if (recordSeconds < 0 || recordSeconds > SECONDS_MASK || (version == 0 && recordSeconds != 0)) {
            throw new IllegalArgumentException("record seconds out of range: " + recordSeconds);
        }
        if (reserved < 0 || reserved > 255) {
            throw new IllegalArgumentException("reserved byte out of range: " + reserved);
        }
        boolean shardOk = switch (version) {
            case 0 -> shardIndex >= 0 && shardIndex <= 0xFFFF;
            case 1 -> shardIndex >= 0 && shardIndex <= 0xFFFF_FFFFL;
            default -> (shardIndex >= 0 && shardIndex <= Integer.MAX_VALUE)
                    || (shardIndex <= -0x8000_0000L && shardIndex >= -0xFFFF_FFFFL);
        };
        if (!shardOk) {
            throw new IllegalArgumentException("shard index out of range for version " + version + ": " + shardIndex);
        }
        boolean indexOk = switch (version) {
            case 0 -> sequenceIndex == 0;
            case 1 -> sequenceIndex >= 0 && sequenceIndex <= 0xFF;
            default -> sequenceIndex >= 0;
        };
        if (!indexOk) {
            throw new IllegalArgumentException("sequence index out of range for version " + version + ": " + sequenceIndex);
        }
        if ((version == 2 && random != 0) || (version == 1 && (random < 0 || random >= 1L << 56))) {
            throw new IllegalArgumentException("random bits out of range for version " + version);
        }
    }

    /** A version 2 number, as AWS issues them today (reserved byte and random bits 0). */
    public static SequenceNumber of(long shardCreateSeconds, int shardIndex, long sequenceIndex, long recordSeconds) {
        return new SequenceNumber(2, shardCreateSeconds, shardIndex, sequenceIndex, recordSeconds, 0, 0);
    }

    /**
     * The sequence number a decimal string holds, or empty when it is none Kinesis would take: not a decimal of
     * at most 129 digits without leading zeros, or no layout above. Never throws.
     */
    public static Optional<SequenceNumber> parse(String decimal) {
        if (decimal == null || !PutRecordValidator.isDecimal(decimal, MAX_DIGITS)) {
            return Optional.empty();
        }
        BigInteger n = new BigInteger(decimal);
        if (n.compareTo(TWO_124) < 0) {
            n = n.add(TWO_124);
        }
        String hex = n.toString(16);
        int version;
        if (n.compareTo(TWO_129) < 0) {
            version = 0;
        } else if (n.compareTo(TWO_185) > 0 && n.compareTo(THREE_184) < 0) {
            version = Character.digit(hex.charAt(hex.length() - 1), 16);
        } else {
            return Optional.empty();
        }
        long created = hexField(hex, 1, 10);
        switch (version) {
            case 0 -> {
                if (created >= MAX_CREATE_SECONDS) {
                    return Optional.empty();
                }
                return Optional.of(new SequenceNumber(0, created, hexField(hex, 28, 32), 0, 0,
                        (int) hexField(hex, 10, 12), hexField(hex, 12, 28)));
            }
            case 1 -> {
                return Optional.of(new SequenceNumber(1, created, hexField(hex, 38, 46), hexField(hex, 36, 38),
                        hexField(hex, 13, 22), (int) hexField(hex, 11, 13), hexField(hex, 22, 36)));
            }
            case 2 -> {
                if (Character.digit(hex.charAt(11), 16) > 7) {
                    return Optional.empty();
                }
                long shard = hexField(hex, 38, 46);
                if (shard > Integer.MAX_VALUE) {
                    shard = -shard; // as Kinesis reads a shard field whose first hex digit is 8 or more
                }
                return Optional.of(new SequenceNumber(2, created, shard, hexField(hex, 11, 27), hexField(hex, 29, 38),
                        (int) hexField(hex, 27, 29), 0));
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /** Whether the record time lies after {@code nowMillis} (version 0 carries none). */
    public boolean isFromTheFuture(long nowMillis) {
        return version != 0 && recordSeconds * 1000 > nowMillis;
    }

    /** The shard id the number names, written as Kinesis writes it in its messages. */
    public String shardId() {
        if (shardIndex < 0) {
            String digits = Long.toString(-shardIndex);
            return "shardId--" + "0".repeat(Math.max(0, 11 - digits.length())) + digits;
        }
        String digits = Long.toString(shardIndex);
        return "shardId-" + "0".repeat(Math.max(0, 12 - digits.length())) + digits;
    }

    /** The decimal string: what {@link #parse} reads back to this number. */
    public String format() {
        if (version == 2) {
            return formatVersion2(shardCreateSeconds, shardIndex, sequenceIndex, reserved, recordSeconds);
        }
        StringBuilder hex = new StringBuilder(47);
        if (version == 1) {
            hex.append('2').append(hex(shardCreateSeconds, 9)).append(hex(shardIndex & 0xF, 1)).append(hex(reserved, 2))
                    .append(hex(recordSeconds, 9)).append(hex(random, 14)).append(hex(sequenceIndex, 2))
                    .append(hex(shardIndex, 8)).append('1');
        } else {
            hex.append('1').append(hex(shardCreateSeconds, 9)).append(hex(reserved, 2)).append(hex(random, 16))
                    .append(hex(shardIndex, 4));
        }
        return new BigInteger(hex.toString(), 16).toString();
    }

    @Override
    public String toString() {
        return format();
    }

    /**
     * The decimal digits of a version 2 number, without BigInteger: this runs once per record written and read.
     * The 188-bit value is built in three 64-bit words, then divided by 10^9 limb by limb.
     */
    private static String formatVersion2(long created, long shardIndex, long sequenceIndex, int reserved, long seconds) {
        long shardBits = shardIndex < 0 ? -shardIndex : shardIndex;
        long w0 = 2L | (shardBits & 0xFFFF_FFFFL) << 4 | (seconds & SECONDS_MASK) << 36;
        long w1 = (seconds & SECONDS_MASK) >>> 28 | (long) reserved << 8 | sequenceIndex << 16;
        long w2 = sequenceIndex >>> 48 | (shardBits & 0xF) << 16 | created << 20 | 2L << 56;
        int[] limbs = {(int) (w2 >>> 32), (int) w2, (int) (w1 >>> 32), (int) w1, (int) (w0 >>> 32), (int) w0};
        byte[] digits = new byte[63];
        int at = digits.length;
        int first = 0;
        while (first < limbs.length) {
            long remainder = 0;
            for (int i = first; i < limbs.length; i++) {
                long current = remainder << 32 | (limbs[i] & 0xFFFF_FFFFL);
                limbs[i] = (int) (current / 1_000_000_000L);
                remainder = current % 1_000_000_000L;
            }
            while (first < limbs.length && limbs[first] == 0) {
                first++;
            }
            for (int d = 0; d < 9; d++) {
                digits[--at] = (byte) ('0' + remainder % 10);
                remainder /= 10;
            }
        }
        while (at < digits.length - 1 && digits[at] == '0') {
            at++;
        }
        return new String(digits, at, digits.length - at, StandardCharsets.ISO_8859_1);
    }

    private static long hexField(String hex, int from, int to) {
        return Long.parseUnsignedLong(hex.substring(from, to), 16);
    }

    private static String hex(long value, int digits) {
        String h = Long.toHexString(value);
        if (h.length() > digits) {
            h = h.substring(h.length() - digits);
        }
        return "0".repeat(digits - h.length()) + h;
    }
}
