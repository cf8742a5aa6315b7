package io.kinesisbridge.backend.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.PutRecordValidator;
import io.kinesisbridge.put.PutRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** CREATING and DELETING times and the account shard quota, as AWS has them, when switched on. */
class StreamLifecycleTest {

    private final long[] now = {1_767_225_600_000L};
    private final Clock clock = new Clock() {
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        public Clock withZone(ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return Instant.ofEpochMilli(now[0]);
        }
    };

    private static PutRecordCommand record(String stream) {
        return PutRecordValidator.validate(PutRequest.of(stream, "k", "x".getBytes(StandardCharsets.UTF_8)), 1 << 20);
    }

    private static void assertNotFound(Runnable call, String stream) {
        assertThatThrownBy(call::run).satisfies(thrown -> {
            Throwable e =
                    thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown;
            assertThat(e)
                    .isInstanceOfSatisfying(
                            KinesisException.class,
                            k -> assertThat(k.error())
                                    .isEqualTo(KinesisError.resourceNotFound(stream, "123456789012")));
        });
    }

    @Test
    void aStreamCreatedWithADelay_isCreatingWithoutShards_andRefusesWrites_untilTheDelayIsOver() {
        InMemoryKinesis k = new InMemoryKinesis(MemoryBackendSettings.defaults(), clock);
        k.createStream("s", 2, 1 << 20, Duration.ofSeconds(3));
        StreamSnapshot creating = k.describe("s");
        assertThat(creating.status()).isEqualTo("CREATING");
        assertThat(creating.shards()).isEmpty();
        assertThat(k.streamNames()).containsExactly("s");
        assertNotFound(() -> k.putRecord(record("s")).join(), "s");
        assertNotFound(() -> k.putRecords("s", List.of(record("s"))).join(), "s");
        assertNotFound(() -> k.describeStream("s").join(), "s");
        assertThatThrownBy(() -> k.iterator("s", "shardId-000000000000", IteratorType.LATEST, null, null))
                .isInstanceOfSatisfying(
                        KinesisException.class,
                        e -> assertThat(e.error().message())
                                .isEqualTo(
                                        "Shard shardId-000000000000 in stream s under account 123456789012 does not exist"));
        now[0] += 3_000;
        assertThat(k.describe("s").status()).isEqualTo("ACTIVE");
        assertThat(k.describe("s").shards()).hasSize(2);
        assertThat(k.putRecord(record("s")).join().shardId()).startsWith("shardId-");
    }

    @Test
    void aStreamDeletedWithADelay_isDeleting_itsRecordsGone_itsNameTaken_untilTheDelayIsOver() {
        InMemoryKinesis k = new InMemoryKinesis(MemoryBackendSettings.defaults(), clock);
        k.createStream("s", 1);
        k.putRecord(record("s")).join();
        k.deleteStream("s", Duration.ofSeconds(2));
        assertThat(k.describe("s").status()).isEqualTo("DELETING");
        assertThat(k.footprintBytes()).isZero();
        assertThat(k.readAll("s")).isEmpty();
        assertNotFound(() -> k.putRecord(record("s")).join(), "s");
        assertThatThrownBy(() -> k.createStream("s", 1))
                .isInstanceOfSatisfying(
                        KinesisException.class,
                        e -> assertThat(e.error())
                                .isEqualTo(new KinesisError(
                                        "ResourceInUseException",
                                        "Stream s under account 123456789012 already exists.")));
        k.deleteStream("s", Duration.ofSeconds(2)); // deleting again is no error, as on AWS
        now[0] += 2_000;
        assertThat(k.hasStream("s")).isFalse();
        assertThat(k.streamNames()).isEmpty();
        assertNotFound(() -> k.describe("s"), "s");
        k.createStream("s", 1);
        assertThat(k.describe("s").status()).isEqualTo("ACTIVE");
    }

    @Test
    void aStreamStillCreating_canBeDeleted() {
        InMemoryKinesis k = new InMemoryKinesis(MemoryBackendSettings.defaults(), clock);
        k.createStream("s", 1, 1 << 20, Duration.ofSeconds(10));
        k.deleteStream("s", Duration.ofSeconds(1));
        assertThat(k.describe("s").status()).isEqualTo("DELETING");
    }

    @Test
    void theAccountShardLimit_refusesAStreamPastIt_withAwsMessage_andCountsOnlyOpenShards() {
        InMemoryKinesis k = new InMemoryKinesis(MemoryBackendSettings.defaults().withAccountShardLimit(500), clock);
        k.createStream("a", 300);
        assertThatThrownBy(() -> k.createStream("b", 1000))
                .isInstanceOfSatisfying(
                        KinesisException.class,
                        e -> assertThat(e.error())
                                .isEqualTo(new KinesisError(
                                        "LimitExceededException",
                                        "This request would exceed the "
                                                + "shard limit for the account 123456789012 in us-east-1. Current shard count for the account: 300. "
                                                + "Limit: 500. Number of additional shards that would have resulted from this request: 1000. Refer to "
                                                + "the AWS Service Limits page (http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) "
                                                + "for current limits and how to request higher limits.")));
        assertThat(k.hasStream("b")).isFalse();
        k.createStream("b", 200);
        k.deleteStream("a", Duration.ofSeconds(5)); // a DELETING stream's shards no longer count
        k.createStream("c", 300);
    }

    @Test
    void withoutALimit_aThousandShardStreamIsCreated() {
        InMemoryKinesis k = new InMemoryKinesis(MemoryBackendSettings.defaults(), clock);
        k.createStream("big", 1000);
        assertThat(k.describe("big").openShards()).hasSize(1000);
    }
}
