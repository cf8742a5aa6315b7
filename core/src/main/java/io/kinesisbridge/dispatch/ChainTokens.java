package io.kinesisbridge.dispatch;

import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.PutRecordCommand;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The last acknowledged sequence number of each recently used partition key with ordering {@code chain}, sent as the
 * next record's SequenceNumberForOrdering. Holds at most {@link DispatchSettings#chainKeys()} keys, least recently
 * used first out. Not thread-safe: used under the dispatcher's lock.
 */
final class ChainTokens {

    private final Map<String, String> lastSequences;

    ChainTokens(int maxKeys) {
        this.lastSequences = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /** The command to send for the record: chained to its key's last sequence number when there is one. */
    PutRecordCommand commandFor(DispatchEntry entry) {
        entry.usedChainToken = false;
        if (entry.ordering != Ordering.CHAIN
                || entry.command.sequenceNumberForOrdering().isPresent()) {
            return entry.command;
        }
        String previous = lastSequences.get(entry.key());
        if (previous == null) {
            return entry.command;
        }
        entry.usedChainToken = true;
        return entry.command.withSequenceNumberForOrdering(Optional.of(previous));
    }

    void acknowledged(DispatchEntry entry, String sequenceNumber) {
        if (entry.ordering == Ordering.CHAIN) {
            lastSequences.put(entry.key(), sequenceNumber);
        }
    }

    /**
     * Whether the record failed because the backend no longer knows its key's last sequence number (a restarted
     * local backend, say); if so the token is forgotten, and the record is sent again unchained.
     */
    boolean forgetIfStale(DispatchEntry entry, KinesisError error) {
        if (!entry.usedChainToken
                || !KinesisError.INVALID_ARGUMENT.equals(error.code())
                || !error.message().contains("ExclusiveMinimumSequenceNumber")) {
            return false;
        }
        lastSequences.remove(entry.key());
        return true;
    }
}
