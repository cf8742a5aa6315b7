package io.kinesisbridge.component;

/** What the producer does when its endpoint already has maxInFlightRecords records in flight. */
public enum WhenSaturated {
    /** Wait (blocking the calling thread, so that the source slows down) up to saturationTimeout, then fail. */
    BLOCK,
    /** Fail the exchange at once with a retryable BridgeSaturated error (an HTTP source answers 503). */
    REJECT
}
