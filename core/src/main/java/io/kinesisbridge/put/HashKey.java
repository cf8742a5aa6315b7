package io.kinesisbridge.put;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A point in the Kinesis hash-key space [0, 2^128): the unsigned 128-bit value of a partition key's MD5,
 * or an ExplicitHashKey. Held as two longs so that routing a record allocates no BigInteger.
 */
public record HashKey(long high, long low) implements Comparable<HashKey> {

    public static final BigInteger SPACE = BigInteger.ONE.shiftLeft(128);
    public static final BigInteger MAX_VALUE = SPACE.subtract(BigInteger.ONE);
    public static final HashKey MIN = new HashKey(0L, 0L);
    public static final HashKey MAX = new HashKey(-1L, -1L);

    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every Java runtime", e);
        }
    });

    /** The hash key Kinesis derives from a partition key: MD5 of its UTF-8 bytes, read big-endian and unsigned. */
    public static HashKey ofPartitionKey(String partitionKey) {
        return ofDigest(md5(partitionKey.getBytes(StandardCharsets.UTF_8)));
    }

    public static byte[] md5(byte[] bytes) {
        return MD5.get().digest(bytes);
    }

    static HashKey ofDigest(byte[] digest) {
        return new HashKey(readLong(digest, 0), readLong(digest, 8));
    }

    /** @throws IllegalArgumentException if the value lies outside [0, 2^128 - 1] */
    public static HashKey of(BigInteger value) {
        if (value.signum() < 0 || value.compareTo(MAX_VALUE) > 0) {
            throw new IllegalArgumentException("hash key out of range [0, 2^128-1]: " + value);
        }
        return new HashKey(value.shiftRight(64).longValue(), value.longValue());
    }

    public static HashKey parse(String decimal) {
        return of(new BigInteger(decimal));
    }

    public BigInteger toBigInteger() {
        byte[] bytes = new byte[16];
        writeLong(bytes, 0, high);
        writeLong(bytes, 8, low);
        return new BigInteger(1, bytes);
    }

    @Override
    public int compareTo(HashKey other) {
        int c = Long.compareUnsigned(high, other.high);
        return c != 0 ? c : Long.compareUnsigned(low, other.low);
    }

    /** Decimal, as Kinesis writes hash keys. */
    @Override
    public String toString() {
        return toBigInteger().toString();
    }

    private static long readLong(byte[] b, int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[offset + i] & 0xFF);
        }
        return v;
    }

    private static void writeLong(byte[] b, int offset, long v) {
        for (int i = 7; i >= 0; i--) {
            b[offset + i] = (byte) v;
            v >>>= 8;
        }
    }
}
