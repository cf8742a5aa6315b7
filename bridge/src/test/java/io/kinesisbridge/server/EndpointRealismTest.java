package io.kinesisbridge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kinesisbridge.backend.fault.FaultSettings;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/** What no other local Kinesis does, switched on: per-shard write limits, seeded faults, added latency. */
class EndpointRealismTest {

    private static List<PutRecordsRequestEntry> entries(int n, String keyPrefix) {
        return IntStream.range(0, n)
                .mapToObj(i -> PutRecordsRequestEntry.builder()
                        .partitionKey(keyPrefix + i)
                        .data(SdkBytes.fromUtf8String("e" + i))
                        .build())
                .toList();
    }

    @Test
    void shardLimitsOn_aBatchOverTheShardsBudget_partlyFails_withPerEntryThrottling() {
        // 10 records/s per shard, so that the test does not depend on how fast the machine is
        MemoryBackendSettings limited =
                new MemoryBackendSettings(true, 10, 1_048_576, 64L << 20, "123456789012", "us-east-1");
        try (RunningEndpoint server = RunningEndpoint.start(limited, FaultSettings.none(), Clock.systemUTC());
                KinesisAsyncClient kinesis = SdkClients.kinesis(server.url())) {
            server.store.createStream("limited", 1);
            PutRecordsResponse r = kinesis.putRecords(
                            b -> b.streamName("limited").records(entries(100, "a")))
                    .join();
            assertThat(r.failedRecordCount()).isGreaterThanOrEqualTo(80);
            assertThat(r.records()).hasSize(100);
            assertThat(r.records().get(0).errorCode())
                    .as("the bucket starts full")
                    .isNull();
            PutRecordsResultEntry throttled = r.records().stream()
                    .filter(e -> e.errorCode() != null)
                    .findFirst()
                    .orElseThrow();
            assertThat(throttled.errorCode()).isEqualTo("ProvisionedThroughputExceededException");
            assertThat(throttled.errorMessage())
                    .isEqualTo(
                            "Rate exceeded for shard shardId-000000000000 in stream limited under account 123456789012.");
            assertThat(throttled.sequenceNumber()).isNull();
            assertThat(server.store.describe("limited").recordCount()).isEqualTo(100 - r.failedRecordCount());
            // PutRecord on a spent shard fails as a whole; the budget comes back at 10 records/s, so a burst finds it
            // spent
            Throwable refused = null;
            for (int i = 0; i < 100 && refused == null; i++) {
                refused = kinesis.putRecord(
                                b -> b.streamName("limited").partitionKey("k").data(SdkBytes.fromUtf8String("x")))
                        .handle((ok, e) -> e == null ? null : e.getCause())
                        .join();
            }
            assertThat(refused).isInstanceOfSatisfying(ProvisionedThroughputExceededException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo(
                                "Rate exceeded for shard shardId-000000000000 in stream limited under account 123456789012.");
            });
        }
    }

    @Test
    void entryFaults_failASeededShareOfEntries_andOnlyTheOthersAreWritten() {
        FaultSettings faults = FaultSettings.none().withRates(0, 0.3).withSeed(7);
        try (RunningEndpoint server =
                        RunningEndpoint.start(MemoryBackendSettings.defaults(), faults, Clock.systemUTC());
                KinesisAsyncClient kinesis = SdkClients.kinesis(server.url())) {
            server.store.createStream("flaky", 2);
            PutRecordsResponse r = kinesis.putRecords(b -> b.streamName("flaky").records(entries(500, "k")))
                    .join();
            assertThat(r.failedRecordCount()).isBetween(100, 200);
            assertThat(r.records())
                    .filteredOn(e -> e.errorCode() != null)
                    .extracting(PutRecordsResultEntry::errorCode)
                    .containsOnly("ProvisionedThroughputExceededException", "InternalFailure")
                    .contains("ProvisionedThroughputExceededException", "InternalFailure");
            assertThat(r.records())
                    .filteredOn(e -> "InternalFailure".equals(e.errorCode()))
                    .extracting(PutRecordsResultEntry::errorMessage)
                    .containsOnly("Internal service failure.");
            assertThat(server.store.describe("flaky").recordCount()).isEqualTo(500 - r.failedRecordCount());
        }
    }

    @Test
    void requestFaults_failWholeRequests_withAwsStatuses() {
        FaultSettings faults = FaultSettings.none().withRates(1, 0).withErrors(List.of("InternalFailure"));
        try (RunningEndpoint server =
                        RunningEndpoint.start(MemoryBackendSettings.defaults(), faults, Clock.systemUTC());
                KinesisAsyncClient kinesis = SdkClients.kinesis(server.url())) {
            server.store.createStream("down", 1);
            assertThatThrownBy(() -> kinesis.putRecords(
                                    b -> b.streamName("down").records(entries(3, "k")))
                            .join())
                    .cause()
                    .isInstanceOfSatisfying(KinesisException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(500);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalFailure");
                    });
            assertThat(server.store.describe("down").recordCount()).isZero();
            // reads are not faulted: a consumer still sees the stream
            assertThat(kinesis.describeStreamSummary(b -> b.streamName("down"))
                            .join()
                            .streamDescriptionSummary()
                            .openShardCount())
                    .isEqualTo(1);
        }
    }

    @Test
    void latency_delaysEveryWrite() {
        FaultSettings slow = FaultSettings.none().withLatency(Duration.ofMillis(150), Duration.ZERO);
        try (RunningEndpoint server = RunningEndpoint.start(MemoryBackendSettings.defaults(), slow, Clock.systemUTC());
                KinesisAsyncClient kinesis = SdkClients.kinesis(server.url())) {
            server.store.createStream("slow", 1);
            kinesis.putRecord(b -> b.streamName("slow").partitionKey("warm-up").data(SdkBytes.fromUtf8String("x")))
                    .join();
            long start = System.nanoTime();
            kinesis.putRecord(b -> b.streamName("slow").partitionKey("k").data(SdkBytes.fromUtf8String("x")))
                    .join();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        }
    }
}
