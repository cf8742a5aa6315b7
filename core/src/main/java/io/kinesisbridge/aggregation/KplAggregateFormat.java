package io.kinesisbridge.aggregation;

import io.kinesisbridge.put.HashKey;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The KPL aggregated record format: the magic bytes {@code F3 89 9A C2}, a protobuf (proto2) message
 *
 * <pre>
 * message AggregatedRecord { repeated string partition_key_table = 1; repeated string explicit_hash_key_table = 2;
 *                            repeated Record records = 3; }
 * message Record { required uint64 partition_key_index = 1; optional uint64 explicit_hash_key_index = 2;
 *                  required bytes data = 3; repeated Tag tags = 4; }
 * message Tag    { required string key = 1; optional string value = 2; }
 * </pre>
 *
 * and the 16-byte MD5 of the protobuf bytes.
 *
 * <p>Encoded and decoded by hand rather than with protobuf-java: the format is three small messages using two wire
 * types, the aggregator needs the exact encoded size of every record it adds before it encodes anything (a generated
 * message tells only its whole size, once built), and the core jar, shaded into the bridge's single jar, keeps one
 * dependency (about 1.8 MB) fewer. The tests check the encoding byte for byte against protobuf-java's, and the
 * decoding against protobuf-java's and the KCL's.
 */
public final class KplAggregateFormat {

    static final byte[] MAGIC = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2};
    static final int DIGEST_LENGTH = 16;
    /** Bytes an aggregate adds around its protobuf message: the magic prefix and the MD5 trailer. */
    public static final int OVERHEAD_BYTES = MAGIC.length + DIGEST_LENGTH;

    private static final int WIRE_VARINT = 0;
    private static final int WIRE_FIXED64 = 1;
    private static final int WIRE_LENGTH_DELIMITED = 2;
    private static final int WIRE_FIXED32 = 5;

    private static final int FIELD_PARTITION_KEY_TABLE = 1;
    private static final int FIELD_EXPLICIT_HASH_KEY_TABLE = 2;
    private static final int FIELD_RECORDS = 3;
    private static final int FIELD_PARTITION_KEY_INDEX = 1;
    private static final int FIELD_EXPLICIT_HASH_KEY_INDEX = 2;
    private static final int FIELD_DATA = 3;
    private static final int FIELD_TAGS = 4;
    private static final int FIELD_TAG_KEY = 1;

    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every Java runtime", e);
        }
    });

    private KplAggregateFormat() {}

    /** One entry of the records field: indexes into the key tables ({@code -1}: no ExplicitHashKey) and the data. */
    record Entry(int partitionKeyIndex, int explicitHashKeyIndex, byte[] data) {}

    static int varintSize(long value) {
        int size = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            size++;
        }
        return size;
    }

    /** Size of a length-delimited field of {@code length} bytes, with its one-byte tag (field numbers 1 to 15). */
    static int lengthDelimitedFieldSize(int length) {
        return 1 + varintSize(length) + length;
    }

    /** Size of one Record message's body (without its own tag and length). */
    static int recordBodySize(int partitionKeyIndex, int explicitHashKeyIndex, int dataLength) {
        int size = 1 + varintSize(partitionKeyIndex);
        if (explicitHashKeyIndex >= 0) {
            size += 1 + varintSize(explicitHashKeyIndex);
        }
        return size + lengthDelimitedFieldSize(dataLength);
    }

    /**
     * The aggregate's bytes: magic, the message (fields in number order, as protobuf-java writes them) and its MD5.
     * {@code messageLength} is the message's size as the caller summed it with the size functions above.
     */
    static byte[] encode(
            List<byte[]> partitionKeys, List<byte[]> explicitHashKeys, List<Entry> entries, int messageLength) {
        byte[] out = new byte[MAGIC.length + messageLength + DIGEST_LENGTH];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        Writer w = new Writer(out, MAGIC.length);
        for (byte[] key : partitionKeys) {
            w.bytesField(FIELD_PARTITION_KEY_TABLE, key);
        }
        for (byte[] key : explicitHashKeys) {
            w.bytesField(FIELD_EXPLICIT_HASH_KEY_TABLE, key);
        }
        for (Entry e : entries) {
            int body = recordBodySize(e.partitionKeyIndex(), e.explicitHashKeyIndex(), e.data().length);
            w.tag(FIELD_RECORDS, WIRE_LENGTH_DELIMITED);
            w.varint(body);
            w.tag(FIELD_PARTITION_KEY_INDEX, WIRE_VARINT);
            w.varint(e.partitionKeyIndex());
            if (e.explicitHashKeyIndex() >= 0) {
                w.tag(FIELD_EXPLICIT_HASH_KEY_INDEX, WIRE_VARINT);
                w.varint(e.explicitHashKeyIndex());
            }
            w.bytesField(FIELD_DATA, e.data());
        }
        int messageEnd = MAGIC.length + messageLength;
        if (w.position != messageEnd) {
            throw new IllegalStateException("aggregate size miscounted: wrote " + (w.position - MAGIC.length)
                    + " bytes, counted " + messageLength);
        }
        MessageDigest md5 = MD5.get();
        md5.update(out, MAGIC.length, messageLength);
        try {
            md5.digest(out, messageEnd, DIGEST_LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /**
     * Whether {@code data} carries the aggregate frame the KCL looks for: the magic prefix, at least one byte of
     * message, and an MD5 trailer that matches. Says nothing about whether the message parses.
     */
    public static boolean hasAggregateFrame(byte[] data) {
        if (data.length <= OVERHEAD_BYTES || !Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return false;
        }
        int messageEnd = data.length - DIGEST_LENGTH;
        MessageDigest md5 = MD5.get();
        md5.update(data, MAGIC.length, messageEnd - MAGIC.length);
        byte[] digest = md5.digest();
        return Arrays.equals(digest, 0, DIGEST_LENGTH, data, messageEnd, data.length);
    }

    /**
     * The user records of an aggregate, in order, or empty when {@code data} is not one: no magic prefix, a
     * trailer that is not the message's MD5, or a message that does not parse as an {@code AggregatedRecord}
     * (required fields missing, a table index out of range). Tags are read and dropped.
     */
    static Optional<List<UserRecord>> decode(byte[] data) {
        if (!hasAggregateFrame(data)) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(data, MAGIC.length, data.length - DIGEST_LENGTH));
        } catch (MalformedMessage e) {
            return Optional.empty();
        }
    }

    private static List<UserRecord> parse(byte[] data, int from, int to) {
        Reader r = new Reader(data, from, to);
        List<String> partitionKeys = new ArrayList<>();
        List<String> explicitHashKeys = new ArrayList<>();
        List<long[]> indexes = new ArrayList<>(); // {partition key index, explicit hash key index or -1}
        List<byte[]> payloads = new ArrayList<>();
        while (r.more()) {
            int tag = r.tag();
            int field = tag >>> 3;
            int wire = tag & 7;
            if (wire != WIRE_LENGTH_DELIMITED || field < FIELD_PARTITION_KEY_TABLE || field > FIELD_RECORDS) {
                r.skip(wire);
                continue;
            }
            int length = r.length();
            if (field == FIELD_PARTITION_KEY_TABLE) {
                partitionKeys.add(r.string(length));
            } else if (field == FIELD_EXPLICIT_HASH_KEY_TABLE) {
                explicitHashKeys.add(r.string(length));
            } else {
                Reader record = r.sub(length);
                boolean hasKeyIndex = false;
                long keyIndex = 0;
                long hashKeyIndex = -1;
                byte[] payload = null;
                while (record.more()) {
                    int rtag = record.tag();
                    int rfield = rtag >>> 3;
                    int rwire = rtag & 7;
                    if (rfield == FIELD_PARTITION_KEY_INDEX && rwire == WIRE_VARINT) {
                        keyIndex = record.varint();
                        hasKeyIndex = true;
                    } else if (rfield == FIELD_EXPLICIT_HASH_KEY_INDEX && rwire == WIRE_VARINT) {
                        hashKeyIndex = record.varint();
                        if (hashKeyIndex == -1) { // 2^64 - 1: out of range of any table, and not "absent"
                            throw new MalformedMessage();
                        }
                    } else if (rfield == FIELD_DATA && rwire == WIRE_LENGTH_DELIMITED) {
                        payload = record.bytes(record.length());
                    } else if (rfield == FIELD_TAGS && rwire == WIRE_LENGTH_DELIMITED) {
                        checkTag(record.sub(record.length()));
                    } else {
                        record.skip(rwire);
                    }
                }
                if (!hasKeyIndex || payload == null) {
                    throw new MalformedMessage();
                }
                indexes.add(new long[] {keyIndex, hashKeyIndex});
                payloads.add(payload);
            }
        }
        List<UserRecord> records = new ArrayList<>(payloads.size());
        for (int i = 0; i < payloads.size(); i++) {
            long keyIndex = indexes.get(i)[0];
            long hashKeyIndex = indexes.get(i)[1];
            if (Long.compareUnsigned(keyIndex, partitionKeys.size()) >= 0
                    || hashKeyIndex != -1 && Long.compareUnsigned(hashKeyIndex, explicitHashKeys.size()) >= 0) {
                throw new MalformedMessage();
            }
            String explicitHashKey = hashKeyIndex == -1 ? null : explicitHashKeys.get((int) hashKeyIndex);
            if (explicitHashKey != null && !isHashKey(explicitHashKey)) {
                throw new MalformedMessage();
            }
            records.add(new UserRecord(partitionKeys.get((int) keyIndex), explicitHashKey, payloads.get(i)));
        }
        return records;
    }

    /** A Tag is parsed, as protobuf-java does, only to check that its required key is there. */
    private static void checkTag(Reader tag) {
        boolean hasKey = false;
        while (tag.more()) {
            int t = tag.tag();
            if (t >>> 3 == FIELD_TAG_KEY && (t & 7) == WIRE_LENGTH_DELIMITED) {
                tag.bytes(tag.length());
                hasKey = true;
            } else {
                tag.skip(t & 7);
            }
        }
        if (!hasKey) {
            throw new MalformedMessage();
        }
    }

    private static boolean isHashKey(String decimal) {
        try {
            HashKey.parse(decimal);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static final class MalformedMessage extends RuntimeException {
        MalformedMessage() {
            super(null, null, false, false);
        }
    }

    private static final class Writer {
        private final byte[] out;
        private int position;

        Writer(byte[] out, int position) {
            this.out = out;
            this.position = position;
        }

        void tag(int field, int wire) {
            out[position++] = (byte) (field << 3 | wire);
        }

        void varint(long value) {
            while ((value & ~0x7FL) != 0) {
                out[position++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            out[position++] = (byte) value;
        }

        void bytesField(int field, byte[] bytes) {
            tag(field, WIRE_LENGTH_DELIMITED);
            varint(bytes.length);
            System.arraycopy(bytes, 0, out, position, bytes.length);
            position += bytes.length;
        }
    }

    /** Reads protobuf wire format between two offsets; anything that runs past the end is a malformed message. */
    private static final class Reader {
        private final byte[] in;
        private int position;
        private final int end;

        Reader(byte[] in, int position, int end) {
            this.in = in;
            this.position = position;
            this.end = end;
        }

        boolean more() {
            return position < end;
        }

        int tag() {
            long tag = varint();
            if (tag >>> 3 == 0 || tag > Integer.MAX_VALUE) {
                throw new MalformedMessage();
            }
            return (int) tag;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (position >= end) {
                    throw new MalformedMessage();
                }
                byte b = in[position++];
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new MalformedMessage();
        }

        int length() {
            long length = varint();
            if (length < 0 || length > end - position) {
                throw new MalformedMessage();
            }
            return (int) length;
        }

        byte[] bytes(int length) {
            byte[] bytes = Arrays.copyOfRange(in, position, position + length);
            position += length;
            return bytes;
        }

        String string(int length) {
            String s = new String(in, position, length, StandardCharsets.UTF_8);
            position += length;
            return s;
        }

        Reader sub(int length) {
            Reader sub = new Reader(in, position, position + length);
            position += length;
            return sub;
        }

        /** Skips a field protobuf-java would keep as unknown; groups (deprecated wire types 3 and 4) are refused. */
        void skip(int wire) {
            switch (wire) {
                case WIRE_VARINT -> varint();
                case WIRE_FIXED64 -> advance(8);
                case WIRE_LENGTH_DELIMITED -> advance(length());
                case WIRE_FIXED32 -> advance(4);
                default -> throw new MalformedMessage();
            }
        }

        private void advance(int n) {
            if (n > end - position) {
                throw new MalformedMessage();
            }
            position += n;
        }
    }
}
