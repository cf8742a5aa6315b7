package io.kinesisbridge.backend.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kinesisbridge.backend.PutRecordsResponse;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.RecordResult;
import io.kinesisbridge.put.RetryableKinesisException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FaultInjectingBackendTest {

    private static List<PutRecordCommand> commands(String stream, int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> new PutRecordCommand(
                        stream,
                        "key-" + i,
                        ("record " + i).getBytes(StandardCharsets.UTF_8),
                        Optional.empty(),
                        Optional.empty()))
                .toList();
    }

    private static List<String> outcome(PutRecordsResponse r) {
        return r.results().stream()
                .map(x -> x instanceof RecordResult.Failed f ? f.error().code() : "ok")
                .toList();
    }

    @Test
    void theSameSeed_givesTheSameFaults_andAnotherSeedOthers() {
        List<String> first = run(11);
        assertThat(first).contains("ok").anyMatch(s -> !s.equals("ok"));
        assertThat(run(11)).isEqualTo(first);
        assertThat(run(12)).isNotEqualTo(first);
    }

    private List<String> run(long seed) {
        InMemoryKinesis memory = new InMemoryKinesis(MemoryBackendSettings.defaults());
        memory.createStream("s", 2);
        FaultInjectingBackend faulty = new FaultInjectingBackend(
                memory, FaultSettings.none().withRates(0, 0.25).withSeed(seed), "123456789012");
        return outcome(faulty.putRecords("s", commands("s", 100)).join());
    }

    @Test
    void failedEntries_areNotWritten_andTheOthersKeepTheirOrder() {
        InMemoryKinesis memory = new InMemoryKinesis(MemoryBackendSettings.defaults());
        memory.createStream("s", 1);
        FaultInjectingBackend faulty = new FaultInjectingBackend(
                memory, FaultSettings.none().withRates(0, 0.5).withSeed(3), "123456789012");
        List<PutRecordCommand> sent = commands("s", 50);
        PutRecordsResponse r = faulty.putRecords("s", sent).join();
        List<String> written = memory.readAll("s").stream()
                .map(x -> new String(x.data(), StandardCharsets.UTF_8))
                .toList();
        List<String> accepted = IntStream.range(0, 50)
                .filter(i -> r.results().get(i) instanceof RecordResult.Accepted)
                .mapToObj(i -> "record " + i)
                .toList();
        assertThat(written).isEqualTo(accepted).hasSize(50 - r.failedRecordCount());
    }

    @Test
    void requestFaults_areRetryable_andWriteNothing() {
        InMemoryKinesis memory = new InMemoryKinesis(MemoryBackendSettings.defaults());
        memory.createStream("s", 1);
        FaultInjectingBackend faulty = new FaultInjectingBackend(
                memory,
                FaultSettings.none().withRates(1, 0).withErrors(List.of("ProvisionedThroughputExceededException")),
                "123456789012");
        assertThatThrownBy(() -> faulty.putRecord(commands("s", 1).get(0)).join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOfSatisfying(
                        RetryableKinesisException.class,
                        e -> assertThat(e.getMessage())
                                .isEqualTo(
                                        "Rate exceeded for shard shardId-000000000000 in stream s under account 123456789012."));
        assertThat(memory.describe("s").recordCount()).isZero();
    }

    @Test
    void aMissingStream_isStillResourceNotFound() {
        InMemoryKinesis memory = new InMemoryKinesis(MemoryBackendSettings.defaults());
        FaultInjectingBackend faulty =
                new FaultInjectingBackend(memory, FaultSettings.none().withRates(0, 0.5), "123456789012");
        assertThatThrownBy(() -> faulty.putRecords("nope", commands("nope", 3)).join())
                .cause()
                .isInstanceOfSatisfying(
                        KinesisException.class, e -> assertThat(e.errorCode()).isEqualTo("ResourceNotFoundException"));
    }

    @Test
    void settings_refuseRatesOutsideZeroToOne_andUnknownErrors() {
        assertThatThrownBy(() -> FaultSettings.none().withRates(1.5, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultSettings.none().withErrors(List.of("ValidationException")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(FaultSettings.none().active()).isFalse();
    }
}
