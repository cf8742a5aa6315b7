package io.kinesisbridge.dispatch;

import io.kinesisbridge.deadletter.DeadLetter;
import io.kinesisbridge.deadletter.DeadLetterSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

final class CollectingDeadLetters implements DeadLetterSink {
    final List<DeadLetter> letters = new CopyOnWriteArrayList<>();

    @Override
    public void accept(DeadLetter letter) {
        letters.add(letter);
    }
}
