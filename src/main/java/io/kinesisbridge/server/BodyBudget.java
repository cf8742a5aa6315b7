package io.kinesisbridge.server;

import java.util.concurrent.atomic.AtomicLong;

/** The request body bytes the endpoint may hold at once, over all connections; shared by every event loop. */
final class BodyBudget {

    private final long max;
    private final AtomicLong held = new AtomicLong();

    BodyBudget(long max) {
        this.max = max;
    }

    /** Takes {@code bytes} from the budget if they fit. */
    boolean tryTake(long bytes) {
        while (true) {
            long now = held.get();
            if (now + bytes > max) {
                return false;
            }
            if (held.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void giveBack(long bytes) {
        held.addAndGet(-bytes);
    }

    long held() {
        return held.get();
    }
}
