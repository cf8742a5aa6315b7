package io.kinesisbridge.net;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The request-body bytes a listener holds at once over all its connections, shared by every event loop. A request's
 * bytes are taken as they arrive and given back when its answer is sent or its connection closes.
 */
public final class BodyBudget {

    private final long limit;
    private final AtomicLong held = new AtomicLong();

    public BodyBudget(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        this.limit = limit;
    }

    /** Takes {@code bytes} if they fit under the limit; false (and nothing taken) otherwise. */
    public boolean take(long bytes) {
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
    public boolean fits(long bytes) {
        return held.get() + bytes <= limit;
    }

    public void give(long bytes) {
        held.addAndGet(-bytes);
    }

    public long held() {
        return held.get();
    }

    public long limit() {
        return limit;
    }
}
