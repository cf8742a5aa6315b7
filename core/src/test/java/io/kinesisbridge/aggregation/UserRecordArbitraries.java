package io.kinesisbridge.aggregation;

import io.kinesisbridge.put.HashKey;
import io.kinesisbridge.put.ShardMap;
import io.kinesisbridge.put.ShardRange;
import io.kinesisbridge.put.Utf8;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators of user records as producers send them, and the per-shard split the dispatcher would make. */
final class UserRecordArbitraries {

    /** Large enough for any valid key: 256 chars are at most 768 UTF-8 bytes (3 per char of the BMP). */
    static final int SMALLEST_LIMIT = 1100;

    static final int LARGEST_LIMIT = 8192;

    private UserRecordArbitraries() {}

    /** Partition keys of 1 to 256 chars: often reused ones, ASCII, and any Unicode code points (no lone surrogates). */
    static Arbitrary<String> partitionKeys() {
        Arbitrary<String> reused = Arbitraries.of("user-1", "user-2", "ü", "\uD83D\uDE00", "k");
        Arbitrary<String> ascii = Arbitraries.strings().ascii().ofMinLength(1).ofMaxLength(256);
        Arbitrary<String> unicode = Arbitraries.integers()
                .between(1, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
                .map(cp -> new String(Character.toChars(cp)))
                .list()
                .ofMinSize(1)
                .ofMaxSize(256)
                .map(UserRecordArbitraries::joinUpTo256Chars);
        return Arbitraries.frequencyOf(Tuple.of(4, reused), Tuple.of(3, ascii), Tuple.of(3, unicode));
    }

    /** Mostly no ExplicitHashKey; sometimes one of a few reused ones, sometimes any in [0, 2^128 - 1]. */
    static Arbitrary<String> explicitHashKeys() {
        Arbitrary<String> any = Arbitraries.bigIntegers()
                .between(BigInteger.ZERO, HashKey.MAX_VALUE)
                .map(BigInteger::toString);
        Arbitrary<String> reused = Arbitraries.of("0", "1", HashKey.MAX_VALUE.toString());
        return Arbitraries.oneOf(any, reused).injectNull(0.6);
    }

    /** Mostly small data (clickstream-sized), sometimes up to the largest limit; trimmed to the limit in use. */
    static Arbitrary<byte[]> data() {
        Arbitrary<byte[]> small = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> large = Arbitraries.bytes().array(byte[].class).ofMaxSize(LARGEST_LIMIT);
        return Arbitraries.frequencyOf(Tuple.of(8, small), Tuple.of(1, large));
    }

    static Arbitrary<UserRecord> userRecords() {
        return Combinators.combine(partitionKeys(), explicitHashKeys(), data()).as(UserRecord::new);
    }

    /** The record cut to fit {@code limit} bytes of data plus key, as a valid PutRecord must. */
    static UserRecord fitted(UserRecord record, int limit) {
        int room = limit - Utf8.encodedLength(record.partitionKey());
        if (record.data().length <= room) {
            return record;
        }
        return new UserRecord(record.partitionKey(), record.explicitHashKey(), Arrays.copyOf(record.data(), room));
    }

    /** The records of each shard of {@code shards}, in input order: the split the dispatcher makes before packing. */
    static Map<ShardRange, List<UserRecord>> byShard(ShardMap shards, List<UserRecord> records) {
        Map<ShardRange, List<UserRecord>> split = new LinkedHashMap<>();
        for (UserRecord record : records) {
            ShardRange shard = shards.shardFor(record.hashKey()).orElseThrow();
            split.computeIfAbsent(shard, s -> new ArrayList<>()).add(record);
        }
        return split;
    }

    private static String joinUpTo256Chars(List<String> codePoints) {
        StringBuilder key = new StringBuilder();
        for (String codePoint : codePoints) {
            if (key.length() + codePoint.length() > 256) {
                break;
            }
            key.append(codePoint);
        }
        return key.toString();
    }
}
