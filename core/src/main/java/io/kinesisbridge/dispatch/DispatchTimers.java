package io.kinesisbridge.dispatch;

import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The dispatcher's timers (backoff, linger, pacing, refresh) on a scheduler whose tasks never block. Thread-safe. */
final class DispatchTimers {

    private final ScheduledExecutorService scheduler;

    DispatchTimers(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /** Runs the task after the delay; when the scheduler is stopping, runs it now rather than strand a record. */
    void schedule(Runnable task, long delayNanos) {
        try {
            scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    /** Runs the task after the delay; returns false, running nothing, when the scheduler is stopping. */
    boolean scheduleUnlessStopping(Runnable task, long delayNanos) {
        try {
            scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Runs the task every {@code periodNanos}; empty when the scheduler is stopping. */
    Optional<ScheduledFuture<?>> every(Runnable task, long periodNanos) {
        try {
            return Optional.of(scheduler.scheduleWithFixedDelay(task, periodNanos, periodNanos, TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
            return Optional.empty();
        }
    }
}
