package io.kinesisbridge.dispatch;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the work decided under the dispatcher's lock and done after it (completing records' futures, writing dead
 * letters): on the completions executor, never on the thread that sends. A task that fails is logged and does not
 * stop the others. Thread-safe.
 */
final class Completions {

    private static final Logger LOG = LoggerFactory.getLogger(StreamDispatcher.class);

    private final Executor executor;

    Completions(Executor executor) {
        this.executor = executor;
    }

    /** Runs the tasks on the executor; when it is stopping, here, rather than strand the records. */
    void submit(List<Runnable> tasks) {
        if (tasks.isEmpty()) {
            return;
        }
        Runnable all = () -> runHere(tasks);
        try {
            executor.execute(all);
        } catch (RejectedExecutionException e) {
            all.run();
        }
    }

    /** Runs the tasks on this thread, each on its own. */
    static void runHere(List<Runnable> tasks) {
        for (Runnable task : tasks) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("A record's completion failed: {}", e.toString());
            }
        }
    }
}
