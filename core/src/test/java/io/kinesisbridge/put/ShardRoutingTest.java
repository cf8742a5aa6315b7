package io.kinesisbridge.put;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShardRoutingTest {

    @Test
    void partitionKey_user42_hasTheMd5HashFromTheSemanticsNote_andLandsOnShard1Of4() {
        HashKey hash = HashKey.ofPartitionKey("user-42");
        assertThat(hash.toBigInteger()).isEqualTo(new BigInteger("157107139746365290205026809710278036035"));
        assertThat(hash.toBigInteger().toString(16)).isEqualTo("7631bc07a1cc8fcd56e70fc6b2fb4a43");
        assertThat(ShardMap.evenSplit(4).shardFor(hash).orElseThrow().shardId()).isEqualTo("shardId-000000000001");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 16})
    void evenSplit_matchesTheFormula_floorOfSpaceOverN_lastShardEndsAtMax(int n) {
        BigInteger step = BigInteger.ONE.shiftLeft(128).divide(BigInteger.valueOf(n));
        List<ShardRange> shards = ShardMap.evenSplit(n).shards();
        assertThat(shards).hasSize(n);
        for (int i = 0; i < n; i++) {
            ShardRange s = shards.get(i);
            assertThat(s.shardId()).isEqualTo(String.format("shardId-%012d", i));
            assertThat(s.startingHashKey().toBigInteger()).isEqualTo(step.multiply(BigInteger.valueOf(i)));
            BigInteger end = i == n - 1
                    ? HashKey.MAX_VALUE
                    : step.multiply(BigInteger.valueOf(i + 1)).subtract(BigInteger.ONE);
            assertThat(s.endingHashKey().toBigInteger()).isEqualTo(end);
        }
    }

    @Test
    void evenSplit_rangesAreThoseKinesaliteDescribes() throws IOException {
        for (String[] row : csv("kinesalite/shard-ranges.csv")) {
            int n = Integer.parseInt(row[0]);
            ShardRange shard = ShardMap.evenSplit(n).shards().stream()
                    .filter(s -> s.shardId().equals(row[1]))
                    .findFirst()
                    .orElseThrow();
            assertThat(shard.startingHashKey().toString())
                    .as("start of %s of %d", row[1], n)
                    .isEqualTo(row[2]);
            assertThat(shard.endingHashKey().toString())
                    .as("end of %s of %d", row[1], n)
                    .isEqualTo(row[3]);
        }
    }

    @Test
    void partitionKeys_landOnTheShardsKinesaliteChose_for1_2_3_4_16Shards() throws IOException {
        List<String[]> rows = csv("kinesalite/shard-routing.csv");
        assertThat(rows).hasSizeGreaterThan(250);
        for (String[] row : rows) {
            ShardMap map = ShardMap.evenSplit(Integer.parseInt(row[0]));
            String actual =
                    map.shardFor(HashKey.ofPartitionKey(row[1])).orElseThrow().shardId();
            assertThat(actual).as("key '%s' on %s shards", row[1], row[0]).isEqualTo(row[2]);
        }
    }

    @Test
    void explicitHashKeys_atEveryShardBoundary_landWhereKinesalitePutThem() throws IOException {
        List<String[]> rows = csv("kinesalite/explicit-hash-routing.csv");
        assertThat(rows).hasSizeGreaterThan(40);
        for (String[] row : rows) {
            ShardMap map = ShardMap.evenSplit(Integer.parseInt(row[0]));
            String actual = map.shardFor(HashKey.parse(row[1])).orElseThrow().shardId();
            assertThat(actual).as("hash key %s on %s shards", row[1], row[0]).isEqualTo(row[2]);
        }
    }

    @Test
    void topOfTheHashSpace_landsOnTheLastShard_whereHashDividedByStepWouldBeN() {
        // 2^128-1 / floor(2^128/3) = 3: a naive index computation would overflow the shard list
        ShardMap three = ShardMap.evenSplit(3);
        assertThat(three.shardFor(HashKey.MAX).orElseThrow().shardId()).isEqualTo("shardId-000000000002");
        assertThat(three.shardFor(HashKey.MIN).orElseThrow().shardId()).isEqualTo("shardId-000000000000");
    }

    @Test
    void hashKey_outsideTheSpace_isRefused() {
        Assertions.assertThatThrownBy(() -> HashKey.of(BigInteger.ONE.shiftLeft(128)))
                .isInstanceOf(IllegalArgumentException.class);
        Assertions.assertThatThrownBy(() -> HashKey.of(BigInteger.valueOf(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static List<String[]> csv(String resource) throws IOException {
        try (InputStream in = ShardRoutingTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.lines()
                    .skip(1)
                    .filter(l -> !l.isBlank())
                    .map(l -> l.split(",", -1))
                    .toList();
        }
    }
}
