package io.kinesisbridge.deadletter;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Counts the letters it passes on, per stream and error code, as the Micrometer counter
 * {@code kinesis_bridge.dead_letters} (Prometheus: {@code kinesis_bridge_dead_letters_total}). The registry is
 * looked up at each letter, so that it may appear after the sink was built.
 */
public final class CountingDeadLetterSink implements DeadLetterSink {

    private final DeadLetterSink delegate;
    private final Supplier<Optional<MeterRegistry>> registry;

    public CountingDeadLetterSink(DeadLetterSink delegate, Supplier<Optional<MeterRegistry>> registry) {
        this.delegate = delegate;
        this.registry = registry;
    }

    @Override
    public void accept(DeadLetter letter) {
        delegate.accept(letter);
        registry.get()
                .ifPresent(r -> Counter.builder("kinesis_bridge.dead_letters")
                        .description("Records written to the dead-letter output, by stream and error code")
                        .tag("stream", letter.streamName())
                        .tag("error_code", letter.error().code())
                        .register(r)
                        .increment());
    }

    @Override
    public void close() {
        delegate.close();
    }
}
