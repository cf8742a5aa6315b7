package io.kinesisbridge.server;

import io.kinesisbridge.net.BodyBudget;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * One request's body, collected as its bytes arrive: the array grows (doubling, never past the announced
 * Content-Length) only when bytes need room, and every growth is taken from the shared {@link BodyBudget} first.
 * A Content-Length alone thus reserves nothing. Used on one event loop; {@link #release} gives the budget back.
 */
final class RequestBody {

    enum Outcome {
        TAKEN,
        TOO_LARGE,
        OVER_BUDGET
    }

    private static final int FIRST_CAPACITY = 16 * 1024;
    private static final byte[] EMPTY = new byte[0];

    private final BodyBudget budget;
    private final int limit;
    private final long announced;
    private byte[] bytes = EMPTY;
    private int size;
    private long taken;

    /** @param announced the Content-Length, or -1 when there is none */
    RequestBody(BodyBudget budget, int limit, long announced) {
        this.budget = budget;
        this.limit = limit;
        this.announced = announced;
    }

    Outcome append(Buffer chunk) {
        int n = chunk.length();
        if ((long) size + n > limit) {
            return Outcome.TOO_LARGE;
        }
        if (size + n > bytes.length) {
            int capacity = capacityFor(size + n);
            if (!budget.take(capacity - bytes.length)) {
                return Outcome.OVER_BUDGET;
            }
            taken += capacity - bytes.length;
            bytes = Arrays.copyOf(bytes, capacity);
        }
        chunk.getBytes(0, n, bytes, size);
        size += n;
        return Outcome.TAKEN;
    }

    private int capacityFor(int needed) {
        long capacity = Math.max(needed, Math.max(FIRST_CAPACITY, 2L * bytes.length));
        if (announced >= needed) {
            capacity = Math.min(capacity, announced);
        }
        return (int) Math.min(capacity, limit);
    }

    /** The body as read; the array itself when it was filled exactly (as with a Content-Length). */
    byte[] bytes() {
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }

    /** Gives the bytes taken back to the budget; once. */
    void release() {
        budget.give(taken);
        taken = 0;
        bytes = EMPTY;
        size = 0;
    }
}
