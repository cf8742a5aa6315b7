package io.kinesisbridge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kinesisbridge.backend.memory.ShardPosition;
import io.kinesisbridge.put.KinesisException;
import java.time.Clock;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class ShardIteratorsProperties {

    private final ShardIterators iterators = new ShardIterators(Clock.systemUTC(), ShardIterators.DEFAULT_TTL);

    @Property
    void anIterator_givesBackItsPosition_andFitsKinesissLimit(
            @ForAll("streamNames") String stream,
            @ForAll @IntRange(min = 0, max = 99_999) int shard,
            @ForAll @LongRange(min = 0) long position,
            @ForAll @LongRange(min = 0) long created) {
        ShardPosition p = new ShardPosition(stream, String.format("shardId-%012d", shard), position);
        String it = iterators.encode(p, created);
        assertThat(it).hasSizeLessThanOrEqualTo(512);
        ShardIterators.Decoded d = iterators.decode(it);
        assertThat(d.position()).isEqualTo(p);
        assertThat(d.streamCreatedMillis()).isEqualTo(created);
    }

    @Property
    void aDamagedIterator_isInvalid(
            @ForAll("streamNames") String stream, @ForAll @IntRange(min = 0, max = 10_000) int flip) {
        byte[] bytes =
                Base64.getDecoder().decode(iterators.encode(new ShardPosition(stream, "shardId-000000000003", 42), 7));
        int i = flip % bytes.length;
        bytes[i] ^= (byte) (1 + flip % 255);
        String damaged = Base64.getEncoder().encodeToString(bytes);
        assertThatThrownBy(() -> iterators.decode(damaged)).isInstanceOfSatisfying(KinesisException.class, e -> {
            assertThat(e.errorCode()).isEqualTo("InvalidArgumentException");
            assertThat(e.getMessage()).isEqualTo("Invalid ShardIterator.");
        });
    }

    @Property
    void anyText_isAnIteratorOrInvalid(@ForAll String text) {
        try {
            iterators.decode(text);
        } catch (KinesisException e) {
            assertThat(e.errorCode()).isEqualTo("InvalidArgumentException");
        }
    }

    @Provide
    Arbitrary<String> streamNames() {
        return Arbitraries.strings().withChars("abcXYZ019_.-").ofMinLength(1).ofMaxLength(128);
    }
}
