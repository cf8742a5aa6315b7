package io.kinesisbridge.put;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class HashKeyProperties {

    @Property
    void hashKey_equalsTheUnsignedBigEndianMd5(@ForAll String key) throws Exception {
        BigInteger expected =
                new BigInteger(1, MessageDigest.getInstance("MD5").digest(key.getBytes(StandardCharsets.UTF_8)));
        assertThat(HashKey.ofPartitionKey(key).toBigInteger()).isEqualTo(expected);
    }

    @Property
    void hashKeyOrder_isTheOrderOfTheNumbers(@ForAll String a, @ForAll String b) {
        HashKey x = HashKey.ofPartitionKey(a);
        HashKey y = HashKey.ofPartitionKey(b);
        assertThat(Integer.signum(x.compareTo(y))).isEqualTo(x.toBigInteger().compareTo(y.toBigInteger()));
    }

    @Property
    void shardFor_agreesWithALinearScanOfTheFormula(
            @ForAll String key, @ForAll @IntRange(min = 1, max = 64) int shards) {
        BigInteger hash = HashKey.ofPartitionKey(key).toBigInteger();
        BigInteger step = HashKey.SPACE.divide(BigInteger.valueOf(shards));
        int expected = -1;
        for (int i = 0; i < shards; i++) {
            BigInteger start = step.multiply(BigInteger.valueOf(i));
            BigInteger end =
                    i == shards - 1 ? HashKey.MAX_VALUE : start.add(step).subtract(BigInteger.ONE);
            if (hash.compareTo(start) >= 0 && hash.compareTo(end) <= 0) {
                expected = i;
            }
        }
        assertThat(ShardMap.evenSplit(shards).indexFor(HashKey.ofPartitionKey(key)))
                .isEqualTo(expected);
    }

    @Property
    void utf8Length_equalsGetBytesLength(@ForAll String s) {
        assertThat(Utf8.encodedLength(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }
}
