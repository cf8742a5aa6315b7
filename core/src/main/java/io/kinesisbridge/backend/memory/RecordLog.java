package io.kinesisbridge.backend.memory;

/**
 * A shard's records: append at the tail, trim at the head, read by absolute position. A growable ring buffer;
 * not thread-safe (its shard locks around it).
 */
final class RecordLog {

    private StoredRecord[] ring = new StoredRecord[64];
    private int head;
    private int size;
    private long firstPosition;

    /** The position the next appended record will have. */
    long nextPosition() {
        return firstPosition + size;
    }

    long firstPosition() {
        return firstPosition;
    }

    int size() {
        return size;
    }

    /** Makes an empty log begin at {@code position}, as a restored, trimmed shard does. */
    void startAt(long position) {
        if (size != 0) {
            throw new IllegalStateException("startAt on a log that holds records");
        }
        firstPosition = position;
    }

    void append(StoredRecord record) {
        if (size == ring.length) {
            grow();
        }
        ring[(head + size) & (ring.length - 1)] = record;
        size++;
    }

    /** The record at an absolute position, or null when trimmed or not yet written. */
    StoredRecord get(long position) {
        long offset = position - firstPosition;
        if (offset < 0 || offset >= size) {
            return null;
        }
        return ring[(int) ((head + offset) & (ring.length - 1))];
    }

    StoredRecord first() {
        return size == 0 ? null : ring[head];
    }

    StoredRecord removeFirst() {
        if (size == 0) {
            return null;
        }
        StoredRecord r = ring[head];
        ring[head] = null;
        head = (head + 1) & (ring.length - 1);
        size--;
        firstPosition++;
        return r;
    }

    /** The first position whose record arrived at or after {@code millis}, or {@link #nextPosition()}. */
    long firstPositionAtOrAfter(long millis) {
        long lo = firstPosition;
        long hi = nextPosition();
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (get(mid).arrivalMillis() < millis) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void grow() {
        StoredRecord[] bigger = new StoredRecord[ring.length * 2];
        for (int i = 0; i < size; i++) {
            bigger[i] = ring[(head + i) & (ring.length - 1)];
        }
        ring = bigger;
        head = 0;
    }
}
