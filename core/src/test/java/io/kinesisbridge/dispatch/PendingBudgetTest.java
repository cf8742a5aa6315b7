package io.kinesisbridge.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class PendingBudgetTest {

    private final ReentrantLock lock = new ReentrantLock();
    private final DispatchStats stats = new DispatchStats();

    /** One step of a run: take a record of {@code size} bytes, or release the bytes of / let leave the n-th held one. */
    record Step(int kind, int size, int index) {}

    @Provide
    Arbitrary<List<Step>> steps() {
        return Arbitraries.integers()
                .between(0, 2)
                .flatMap(kind -> Arbitraries.integers()
                        .between(1, 1000)
                        .flatMap(size ->
                                Arbitraries.integers().between(0, 50).map(index -> new Step(kind, size, index))))
                .list()
                .ofMaxSize(200);
    }

    @Property
    void neverNegative_andBackToZeroOnceEveryRecordLeft(@ForAll("steps") List<Step> steps) {
        PendingBudget budget = new PendingBudget(lock, 10_000, stats);
        List<PendingBudget.Claim> held = new ArrayList<>();
        long expectedRecords = 0;
        lock.lock();
        try {
            for (Step step : steps) {
                if (step.kind() == 0 || held.isEmpty()) {
                    held.add(budget.take(step.size()));
                    expectedRecords++;
                } else {
                    PendingBudget.Claim claim = held.get(step.index() % held.size());
                    if (step.kind() == 1) {
                        budget.releaseBytes(claim); // repeated releases of one claim count once
                    } else {
                        budget.leave(claim);
                        budget.leave(claim);
                        held.remove(claim);
                        expectedRecords--;
                    }
                }
                assertThat(budget.bytes()).isNotNegative();
                assertThat(budget.records()).isEqualTo(expectedRecords).isNotNegative();
                assertThat(stats.pendingBytes()).isEqualTo(budget.bytes());
                assertThat(stats.pendingRecords()).isEqualTo(budget.records());
            }
            held.forEach(budget::leave);
            assertThat(budget.bytes()).isZero();
            assertThat(budget.records()).isZero();
            assertThat(stats.pendingBytes()).isZero();
            assertThat(stats.pendingRecords()).isZero();
        } finally {
            lock.unlock();
        }
    }

    @Test
    void aRecordLargerThanTheBudget_isTakenWhenNothingElseIsPending() {
        PendingBudget budget = new PendingBudget(lock, 100, stats);
        lock.lock();
        try {
            assertThat(budget.admit(500, Duration.ZERO, true, () -> false)).isTrue();
            budget.take(500);
            assertThat(budget.admit(1, Duration.ZERO, true, () -> false)).isFalse();
            assertThat(stats.pendingBytesHighWater()).isEqualTo(500);
        } finally {
            lock.unlock();
        }
    }

    @Test
    void aCallerThatMayNotWait_isAdmittedOverTheLimit_unlessItAskedForNoWait() {
        PendingBudget budget = new PendingBudget(lock, 100, stats);
        lock.lock();
        try {
            budget.take(80);
            assertThat(budget.admit(50, Duration.ofHours(1), false, () -> false))
                    .isTrue();
            assertThat(budget.admit(50, Duration.ZERO, false, () -> false)).isFalse();
        } finally {
            lock.unlock();
        }
    }

    @Test
    void leaving_wakesASubmitterWaitingForRoom_andOneWaitingForIdle() throws Exception {
        PendingBudget budget = new PendingBudget(lock, 100, stats);
        PendingBudget.Claim claim;
        lock.lock();
        try {
            claim = budget.take(80);
        } finally {
            lock.unlock();
        }
        AtomicBoolean admitted = new AtomicBoolean();
        AtomicBoolean idle = new AtomicBoolean();
        Thread submitter = new Thread(() -> {
            lock.lock();
            try {
                admitted.set(budget.admit(50, Duration.ofHours(1), true, () -> false));
            } finally {
                lock.unlock();
            }
        });
        Thread closer = new Thread(() -> {
            lock.lock();
            try {
                idle.set(budget.awaitIdle(TimeUnit.HOURS.toNanos(1)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lock.unlock();
            }
        });
        submitter.start();
        closer.start();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> submitter.getState() == Thread.State.TIMED_WAITING
                        && closer.getState() == Thread.State.TIMED_WAITING);

        lock.lock();
        try {
            budget.leave(claim);
        } finally {
            lock.unlock();
        }
        submitter.join(TimeUnit.SECONDS.toMillis(30));
        closer.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(submitter.isAlive()).isFalse();
        assertThat(closer.isAlive()).isFalse();
        assertThat(admitted).isTrue();
        assertThat(idle).isTrue();
    }

    @Test
    void aClosedDispatcher_refusesTheWaitingSubmitter_whenWoken() throws Exception {
        PendingBudget budget = new PendingBudget(lock, 100, stats);
        AtomicBoolean closed = new AtomicBoolean();
        AtomicBoolean admitted = new AtomicBoolean(true);
        lock.lock();
        try {
            budget.take(80);
        } finally {
            lock.unlock();
        }
        Thread submitter = new Thread(() -> {
            lock.lock();
            try {
                admitted.set(budget.admit(50, Duration.ofHours(1), true, closed::get));
            } finally {
                lock.unlock();
            }
        });
        submitter.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> submitter.getState() == Thread.State.TIMED_WAITING);
        lock.lock();
        try {
            closed.set(true);
            budget.wakeWaiters();
        } finally {
            lock.unlock();
        }
        submitter.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(submitter.isAlive()).isFalse();
        assertThat(admitted).isFalse();
    }
}
