package io.kinesisbridge.dispatch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The requests sent and not yet answered, and the records waiting for their backoff before they are resent. An
 * answer for a request no longer here (given up on at the stop) is ignored. Not thread-safe: used under the
 * dispatcher's lock.
 */
final class InFlightRequests {

    private final Set<List<DispatchEntry>> sent = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<DispatchEntry> awaitingRetry = Collections.newSetFromMap(new IdentityHashMap<>());

    int requests() {
        return sent.size();
    }

    void sent(List<DispatchEntry> request) {
        sent.add(request);
    }

    /** Whether the answered request was still in flight. */
    boolean answered(List<DispatchEntry> request) {
        return sent.remove(request);
    }

    void awaitRetry(DispatchEntry entry) {
        awaitingRetry.add(entry);
    }

    /** Whether the record's backoff is over and it is still to be resent. */
    boolean retryDue(DispatchEntry entry) {
        return awaitingRetry.remove(entry);
    }

    /** Takes everything out: the records of the requests in flight, then those waiting for a retry. */
    List<DispatchEntry> takeAll() {
        List<DispatchEntry> all = new ArrayList<>();
        sent.forEach(all::addAll);
        sent.clear();
        all.addAll(awaitingRetry);
        awaitingRetry.clear();
        return all;
    }
}
