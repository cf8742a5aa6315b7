package io.kinesisbridge.source.mqtt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The QoS 1 and 2 messages of one connection, in arrival order, each done once Kinesis has its record. MQTT wants
 * acknowledgements in the order messages arrived, so a done message is released only when every message before
 * it is done too.
 */
final class AckWindow {

    static final class Entry {
        final int id;
        final int qos;
        boolean done;

        Entry(int id, int qos) {
            this.id = id;
            this.qos = qos;
        }
    }

    private final Deque<Entry> entries = new ArrayDeque<>();

    synchronized Entry arrived(int id, int qos) {
        Entry e = new Entry(id, qos);
        entries.addLast(e);
        return e;
    }

    /** Marks the entry done; returns the entries now ready to be acknowledged, oldest first. */
    synchronized List<Entry> done(Entry entry) {
        entry.done = true;
        List<Entry> ready = new ArrayList<>();
        while (!entries.isEmpty() && entries.peekFirst().done) {
            ready.add(entries.pollFirst());
        }
        if (entries.isEmpty()) {
            notifyAll();
        }
        return ready;
    }

    /** Waits (at most {@code millis}) until every message is done, so that a stop can acknowledge them. */
    synchronized void awaitEmpty(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        long left;
        while (!entries.isEmpty() && (left = deadline - System.currentTimeMillis()) > 0) {
            wait(left);
        }
    }
}
