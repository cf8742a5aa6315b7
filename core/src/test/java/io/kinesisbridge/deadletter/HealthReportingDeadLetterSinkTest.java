package io.kinesisbridge.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kinesisbridge.health.BridgeHealth;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.PutRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HealthReportingDeadLetterSinkTest {

    private static DeadLetter letter(String stream) {
        return new DeadLetter(
                Instant.EPOCH,
                stream,
                PutRequest.of(stream, "user-1", new byte[] {1}),
                new KinesisError(KinesisError.VALIDATION, "rejected"),
                1);
    }

    @Test
    void aStreamsDeadLetterPart_isDownWhileLettersCannotBeWritten_andUpOnceOneIs() {
        AtomicBoolean full = new AtomicBoolean(true);
        BridgeHealth health = new BridgeHealth();
        DeadLetterSink sink = new HealthReportingDeadLetterSink(
                letter -> {
                    if (full.get() && letter.streamName().equals("s")) {
                        throw new UncheckedIOException(
                                "cannot write a dead letter to s.ndjson: No space left on device",
                                new IOException("No space left on device"));
                    }
                },
                health);

        assertThatThrownBy(() -> sink.accept(letter("s"))).isInstanceOf(UncheckedIOException.class);
        sink.accept(letter("other-stream-with-room")); // a sink failing for one stream only
        assertThat(health.isUp()).isFalse();
        assertThat(health.problems()).containsOnlyKeys("dead-letter:s");
        assertThat(health.problems().get("dead-letter:s"))
                .contains("No space left on device")
                .doesNotContain("user-1");

        full.set(false);
        sink.accept(letter("s"));
        assertThat(health.isUp()).isTrue();
    }
}
