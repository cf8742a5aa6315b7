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
public record SequenceNumber(
        int version,
        long shardCreateSeconds,
        long shardIndex,
        long sequenceIndex,
        long recordSeconds,
        int reserved,
        long random) {

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
        if (shardCreateSeconds < 0
                || shardCreateSeconds > SECONDS_MASK
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
            default ->
                (shardIndex >= 0 && shardIndex <= Integer.MAX_VALUE)
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
            throw new IllegalArgumentException(
                    "sequence index out of range for version " + version + ": " + sequenceIndex);
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
                return Optional.of(new SequenceNumber(
                        0, created, hexField(hex, 28, 32), 0, 0, (int) hexField(hex, 10, 12), hexField(hex, 12, 28)));
            }
            case 1 -> {
                return Optional.of(new SequenceNumber(
                        1,
                        created,
                        hexField(hex, 38, 46),
                        hexField(hex, 36, 38),
                        hexField(hex, 13, 22),
                        (int) hexField(hex, 11, 13),
                        hexField(hex, 22, 36)));
            }
            case 2 -> {
                if (Character.digit(hex.charAt(11), 16) > 7) {
                    return Optional.empty();
                }
                long shard = hexField(hex, 38, 46);
                if (shard > Integer.MAX_VALUE) {
                    shard = -shard; // as Kinesis reads a shard field whose first hex digit is 8 or more
                }
                return Optional.of(new SequenceNumber(
                        2,
                        created,
                        shard,
                        hexField(hex, 11, 27),
                        hexField(hex, 29, 38),
                        (int) hexField(hex, 27, 29),
                        0));
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
            return new ShardLayout(shardCreateSeconds, shardIndex, reserved).format(sequenceIndex, recordSeconds);
        }
        StringBuilder hex = new StringBuilder(47);
        if (version == 1) {
            hex.append('2')
                    .append(hex(shardCreateSeconds, 9))
                    .append(hex(shardIndex & 0xF, 1))
                    .append(hex(reserved, 2))
                    .append(hex(recordSeconds, 9))
                    .append(hex(random, 14))
                    .append(hex(sequenceIndex, 2))
                    .append(hex(shardIndex, 8))
                    .append('1');
        } else {
            hex.append('1')
                    .append(hex(shardCreateSeconds, 9))
                    .append(hex(reserved, 2))
                    .append(hex(random, 16))
                    .append(hex(shardIndex, 4));
        }
        return new BigInteger(hex.toString(), 16).toString();
    }

    @Override
    public String toString() {
        return format();
    }

    /**
     * The part of a shard's version 2 numbers that is the same for all its records (creation second, shard index,
     * reserved byte, the version digits), kept in decimal, so that writing a record's number, once per record written
     * and read, costs a dozen multiplications rather than a BigInteger: the number is this part plus the sequence index
     * times 2^80 plus the record's second times 2^36, added in base 10^9.
     */
    public static final class ShardLayout {

        private static final long BILLION = 1_000_000_000L;
        /** 2^80 and 2^36 in base 10^9, least significant limb first. */
        private static final long P0 = 174_706_176L, P1 = 819_614_629L, P2 = 1_208_925L;

        private static final long Q0 = 719_476_736L, Q1 = 68L;

        private static final int DIGITS = 56;
        private static final byte[] TENS = new byte[100];
        private static final byte[] ONES = new byte[100];

        static {
            for (int i = 0; i < 100; i++) {
                TENS[i] = (byte) ('0' + i / 10);
                ONES[i] = (byte) ('0' + i % 10);
            }
        }

        private final long[] fixed = new long[7];

        public ShardLayout(long shardCreateSeconds, long shardIndex, int reserved) {
            new SequenceNumber(2, shardCreateSeconds, shardIndex, 0, 0, reserved, 0); // checks the ranges
            long shardBits = shardIndex < 0 ? -shardIndex : shardIndex;
            BigInteger value = BigInteger.TWO
                    .shiftLeft(184)
                    .add(BigInteger.valueOf(shardCreateSeconds).shiftLeft(148))
                    .add(BigInteger.valueOf(shardBits & 0xF).shiftLeft(144))
                    .add(BigInteger.valueOf(reserved).shiftLeft(72))
                    .add(BigInteger.valueOf(shardBits).shiftLeft(4))
                    .add(BigInteger.TWO);
            BigInteger billion = BigInteger.valueOf(BILLION);
            for (int i = 0; i < fixed.length; i++) {
                BigInteger[] qr = value.divideAndRemainder(billion);
                fixed[i] = qr[1].longValue();
                value = qr[0];
            }
        }

        /** The number of the record with this sequence index (0 to 2^63-1) and second (0 to 2^36-1). */
        public String format(long sequenceIndex, long recordSeconds) {
            if (sequenceIndex < 0 || recordSeconds < 0 || recordSeconds > SECONDS_MASK) {
                throw new IllegalArgumentException("sequence index or record second out of range");
            }
            long high = divideByBillion(sequenceIndex);
            long x0 = sequenceIndex - high * BILLION;
            long x2 = divideByBillion(high);
            long x1 = high - x2 * BILLION;
            long s1 = divideByBillion(recordSeconds);
            long s0 = recordSeconds - s1 * BILLION;
            // every product and every sum stays below 10^18: nothing overflows before the carries
            long l0 = fixed[0] + x0 * P0 + s0 * Q0;
            long l1 = fixed[1] + x0 * P1 + x1 * P0 + s0 * Q1 + s1 * Q0;
            long l2 = fixed[2] + x0 * P2 + x1 * P1 + x2 * P0 + s1 * Q1;
            long l3 = fixed[3] + x1 * P2 + x2 * P1;
            long l4 = fixed[4] + x2 * P2;
            long carry = divideByBillion(l0);
            l0 -= carry * BILLION;
            l1 += carry;
            carry = divideByBillion(l1);
            l1 -= carry * BILLION;
            l2 += carry;
            carry = divideByBillion(l2);
            l2 -= carry * BILLION;
            l3 += carry;
            carry = divideByBillion(l3);
            l3 -= carry * BILLION;
            l4 += carry;
            carry = divideByBillion(l4);
            l4 -= carry * BILLION;
            long l5 = fixed[5] + carry;
            carry = divideByBillion(l5);
            l5 -= carry * BILLION;
            long l6 = fixed[6] + carry; // two digits: a version 2 number has 56
            byte[] digits = new byte[DIGITS];
            writeNine(digits, DIGITS, (int) l0);
            writeNine(digits, DIGITS - 9, (int) l1);
            writeNine(digits, DIGITS - 18, (int) l2);
            writeNine(digits, DIGITS - 27, (int) l3);
            writeNine(digits, DIGITS - 36, (int) l4);
            writeNine(digits, DIGITS - 45, (int) l5);
            digits[0] = (byte) ('0' + l6 / 10);
            digits[1] = (byte) ('0' + l6 % 10);
            return new String(digits, StandardCharsets.ISO_8859_1);
        }

        /** The nine digits of {@code chunk} (below 10^9), ending just before {@code end}, two at a time. */
        private static void writeNine(byte[] into, int end, int chunk) {
            int at = end;
            for (int d = 0; d < 4; d++) {
                int next = chunk / 100;
                int pair = chunk - next * 100;
                into[--at] = ONES[pair];
                into[--at] = TENS[pair];
                chunk = next;
            }
            into[--at] = (byte) ('0' + chunk);
        }
    }

    /**
     * {@code value / 10^9} for a value from 0 to 2^63-1, by a double estimate that is off by at most one and then
     * corrected: a long division is several times slower, and this runs a dozen times per record.
     */
    static long divideByBillion(long value) {
        long q = (long) (value * 1e-9);
        long r = value - q * 1_000_000_000L;
        if (r < 0) {
            q--;
        } else if (r >= 1_000_000_000L) {
            q++;
        }
        return q;
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
