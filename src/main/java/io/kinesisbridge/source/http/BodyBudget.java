package io.kinesisbridge.source.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The request-body bytes the HTTP source holds at once over all its connections (bridge.http.max-body-bytes-in-flight).
 * A request's bytes are taken as they arrive and given back when its answer is sent or its connection closes.
 */
final class BodyBudget {

    private final long limit;
    private final AtomicLong held = new AtomicLong();

    BodyBudget(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        this.limit = limit;
    }

    /** Takes {@code bytes} if they fit under the limit; false (and nothing taken) otherwise. */
    boolean take(long bytes) {
        long now;
        do {
            now = held.get();
            if (now + bytes > limit) {
                return false;
            }
        } while (!held.compareAndSet(now, now + bytes));
        return true;
    }

    /** Whether {@code bytes} more would fit now. */
    boolean fits(long bytes) {
        return held.get() + bytes <= limit;
    }

    void give(long bytes) {
        held.addAndGet(-bytes);
    }

    long held() {
        return held.get();
    }

    long limit() {
        return limit;
    }
}
