package io.kinesisbridge.deadletter;

/** Where rejected records go. Implementations must not lose a letter silently: failing to write is an error. */
public interface DeadLetterSink extends AutoCloseable {

    void accept(DeadLetter letter);

    @Override
    default void close() {}
}
