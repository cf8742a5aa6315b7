package io.kinesisbridge.backend.fault;

import io.kinesisbridge.put.KinesisError;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link FaultInjectingBackend} does to the writes it passes on.
 *
 * @param requestFailureRate share of PutRecord and PutRecords requests that fail as a whole (0 to 1)
 * @param entryFailureRate   share of the entries of the other PutRecords requests that fail alone, with a per-entry
 *                           ErrorCode, while the rest of the batch is written (0 to 1)
 * @param errorCodes         the errors drawn, with equal chances: {@link KinesisError#THROUGHPUT_EXCEEDED} and/or
 *                           {@link KinesisError#INTERNAL_FAILURE}, the two errors a PutRecords entry can carry
 * @param latency            added to every write before it answers
 * @param latencyJitter      up to this much more, drawn per write
 * @param seed               seeds the draws: the same seed and the same sequence of calls give the same faults
 */
public record FaultSettings(
        double requestFailureRate,
        double entryFailureRate,
        List<String> errorCodes,
        Duration latency,
        Duration latencyJitter,
        long seed) {

    public static final List<String> ALLOWED_ERRORS =
            List.of(KinesisError.THROUGHPUT_EXCEEDED, KinesisError.INTERNAL_FAILURE);

    public FaultSettings {
        checkRate("requestFailureRate", requestFailureRate);
        checkRate("entryFailureRate", entryFailureRate);
        errorCodes = List.copyOf(errorCodes);
        if (errorCodes.isEmpty() || !ALLOWED_ERRORS.containsAll(errorCodes)) {
            throw new IllegalArgumentException(
                    "errorCodes must be one or both of " + ALLOWED_ERRORS + ", got " + errorCodes);
        }
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(latencyJitter, "latencyJitter");
        if (latency.isNegative() || latencyJitter.isNegative()) {
            throw new IllegalArgumentException("latency and jitter must not be negative");
        }
    }

    /** No faults, no latency. */
    public static FaultSettings none() {
        return new FaultSettings(0, 0, ALLOWED_ERRORS, Duration.ZERO, Duration.ZERO, 1);
    }

    public FaultSettings withRates(double requestRate, double entryRate) {
        return new FaultSettings(requestRate, entryRate, errorCodes, latency, latencyJitter, seed);
    }

    public FaultSettings withErrors(List<String> codes) {
        return new FaultSettings(requestFailureRate, entryFailureRate, codes, latency, latencyJitter, seed);
    }

    public FaultSettings withLatency(Duration fixed, Duration jitter) {
        return new FaultSettings(requestFailureRate, entryFailureRate, errorCodes, fixed, jitter, seed);
    }

    public FaultSettings withSeed(long newSeed) {
        return new FaultSettings(requestFailureRate, entryFailureRate, errorCodes, latency, latencyJitter, newSeed);
    }

    /** Whether a decorator would change anything. */
    public boolean active() {
        return requestFailureRate > 0 || entryFailureRate > 0 || !latency.isZero() || !latencyJitter.isZero();
    }

    private static void checkRate(String name, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(name + " must lie in [0, 1], got " + rate);
        }
    }
}
