package io.kinesisbridge.dispatch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-key order: with ordering {@code key} or {@code chain}, at most one record of a partition key is in flight
 * (queued, sent, or waiting to be resent); the key's next record waits in the key's lane until that one is settled.
 * Not thread-safe on its own: used under the dispatcher's lock.
 */
final class KeyLanes {

    /** Where a record that enters its lane goes next. */
    enum Entry {
        /** Nothing of its key is in flight: it may be sent. */
        READY,
        /** Only spooled records of its key are in memory: it goes to the spool's tail, behind them. */
        BEHIND_SPOOL,
        /** It waits behind the record of its key in flight. */
        WAITING
    }

    private final Map<String, Lane> lanes = new HashMap<>();

    /**
     * The record enters its key's lane. {@code spooling}: the spool holds older records, so a live record whose key
     * has only forwarded records in memory goes behind them; its lane is then released already.
     */
    Entry enter(DispatchEntry entry, boolean spooling) {
        if (entry.ordering == Ordering.NONE) {
            return Entry.READY;
        }
        Lane lane = lanes.get(entry.key());
        if (lane == null) {
            lanes.put(entry.key(), new Lane(entry));
            return Entry.READY;
        }
        if (!entry.forwarded && lane.live == 0 && spooling) {
            entry.laneReleased = true;
            return Entry.BEHIND_SPOOL;
        }
        lane.wait(entry);
        return Entry.WAITING;
    }

    /**
     * Frees the record's place in its key's lane and returns the record of the key that waited behind it, if any
     * (the caller makes it ready).
     */
    DispatchEntry release(DispatchEntry entry) {
        if (entry.laneReleased) {
            return null;
        }
        entry.laneReleased = true;
        if (entry.ordering == Ordering.NONE) {
            return null;
        }
        Lane lane = lanes.get(entry.key());
        if (lane == null) {
            return null;
        }
        DispatchEntry next = lane.advance(entry);
        if (next == null) {
            lanes.remove(entry.key());
        }
        return next;
    }

    /** Empties every lane; returns the records that waited behind others, in no particular key order. */
    List<DispatchEntry> takeWaiting() {
        List<DispatchEntry> waiting = new ArrayList<>();
        lanes.values().forEach(lane -> {
            if (lane.waiting != null) {
                waiting.addAll(lane.waiting);
            }
        });
        lanes.clear();
        return waiting;
    }

    /**
     * The records of one partition key in memory: the one in flight and those waiting behind it, and how many of
     * them are live (not forwarded from the spool).
     */
    private static final class Lane {
        DispatchEntry active;
        /** Created when a second record of the key arrives: most keys never need it. */
        ArrayDeque<DispatchEntry> waiting;

        int live;

        Lane(DispatchEntry active) {
            this.active = active;
            this.live = active.forwarded ? 0 : 1;
        }

        void wait(DispatchEntry entry) {
            if (waiting == null) {
                waiting = new ArrayDeque<>(4);
            }
            waiting.addLast(entry);
            if (!entry.forwarded) {
                live++;
            }
        }

        /** {@code done} (the active record) leaves; the next record of the key, if any, becomes the active one. */
        DispatchEntry advance(DispatchEntry done) {
            if (!done.forwarded) {
                live--;
            }
            DispatchEntry next = waiting == null ? null : waiting.pollFirst();
            active = next;
            return next;
        }
    }
}
