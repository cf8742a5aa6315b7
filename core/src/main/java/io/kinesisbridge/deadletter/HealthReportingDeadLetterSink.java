package io.kinesisbridge.deadletter;

import io.kinesisbridge.health.BridgeHealth;

/**
 * Reports each stream's dead-letter output to {@link BridgeHealth}: part {@code dead-letter:<stream>} goes DOWN
 * when a letter cannot be written (readiness DOWN, with the reason) and UP again once one is written.
 */
public final class HealthReportingDeadLetterSink implements DeadLetterSink {

    private final DeadLetterSink delegate;
    private final BridgeHealth health;

    public HealthReportingDeadLetterSink(DeadLetterSink delegate, BridgeHealth health) {
        this.delegate = delegate;
        this.health = health;
    }

    /** The health part of a stream's dead-letter output. */
    public static String part(String streamName) {
        return "dead-letter:" + streamName;
    }

    @Override
    public void accept(DeadLetter letter) {
        try {
            delegate.accept(letter);
        } catch (RuntimeException e) {
            health.down(
                    part(letter.streamName()),
                    "dead letters cannot be written (" + e.getMessage()
                            + "); records that would be dead-lettered go back to their sources");
            throw e;
        }
        health.up(part(letter.streamName()));
    }

    @Override
    public void close() {
        delegate.close();
    }
}
