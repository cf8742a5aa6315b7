package io.kinesisbridge.dispatch;

import io.kinesisbridge.put.KinesisError;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decides whether a failed record is sent again and after how long: only retryable errors, at most
 * {@code maxAttempts} sends in all, after an exponential backoff with full jitter capped at {@code maxDelay}
 * (delay = random between 0 and min(maxDelay, baseDelay * 2^(attempt-1))).
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {

    public static final int DEFAULT_MAX_ATTEMPTS = 10;
    public static final long DEFAULT_BASE_DELAY_MS = 100;
    public static final long DEFAULT_MAX_DELAY_MS = 5000;

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= baseDelay <= maxDelay");
        }
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(
                DEFAULT_MAX_ATTEMPTS,
                Duration.ofMillis(DEFAULT_BASE_DELAY_MS),
                Duration.ofMillis(DEFAULT_MAX_DELAY_MS));
    }

    /**
     * The delay before the next send of a record that failed with {@code error} on its {@code attempts}-th send,
     * or empty when it should go to the dead-letter output instead.
     */
    public Optional<Duration> nextDelay(int attempts, KinesisError error) {
        if (!error.retryable() || attempts >= maxAttempts) {
            return Optional.empty();
        }
        return Optional.of(backoff(attempts));
    }

    /** The backoff after a record's {@code attempts}-th send, whatever the attempt limit. */
    public Duration backoff(int attempts) {
        long ceiling = baseDelay.toNanos() << Math.min(Math.max(attempts - 1, 0), 30);
        if (ceiling <= 0 || ceiling > maxDelay.toNanos()) {
            ceiling = maxDelay.toNanos();
        }
        long nanos = ceiling == 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1);
        return Duration.ofNanos(nanos);
    }
}
