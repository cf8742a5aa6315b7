package io.kinesisbridge.dispatch;

import io.kinesisbridge.put.KinesisError;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ShardBudgetTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aFullBucketHoldsOneSecondOfRecords_thenRefillsAtTheRate() {
        ShardBudget budget = new ShardBudget(1000, 1 << 20, 0);
        int sent = 0;
        while (budget.fits(10, 0)) {
            budget.take(10);
            sent++;
        }
        assertThat(sent).isEqualTo(1000);
        assertThat(budget.nanosUntilFits(10, 0)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(budget.fits(10, SECOND / 2000)).isFalse();
        assertThat(budget.fits(10, SECOND / 1000)).isTrue();
        assertThat(budget.fits(10, 10 * SECOND)).isTrue();
        assertThat(budget.records()).isEqualTo(1000.0);
    }

    @Test
    void bytesAreBudgetedToo_andALargeRecordPassesOnAFullBucketLeavingADebt() {
        ShardBudget budget = new ShardBudget(1000, 1000, 0);
        assertThat(budget.fits(5000, 0)).isTrue();
        budget.take(5000);
        assertThat(budget.bytes()).isEqualTo(-4000.0);
        assertThat(budget.fits(1, 4 * SECOND)).isFalse();
        assertThat(budget.nanosUntilFits(1000, 4 * SECOND)).isEqualTo(SECOND);
        assertThat(budget.fits(1000, 5 * SECOND)).isTrue();
    }

    @Test
    void throttling_spendsWhatIsLeft() {
        ShardBudget budget = new ShardBudget(1000, 1 << 20, 0);
        budget.exhaust();
        assertThat(budget.fits(1, 0)).isFalse();
        assertThat(budget.nanosUntilFits(1, 0)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1));
    }

    @RepeatedTest(20)
    void retryDelay_isFullJitterUnderAnExponentialCeiling_capped() {
        RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(1));
        KinesisError throttled = new KinesisError(KinesisError.THROUGHPUT_EXCEEDED, "Rate exceeded");
        assertThat(policy.nextDelay(1, throttled)).get().satisfies(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofMillis(100)));
        assertThat(policy.nextDelay(3, throttled)).get().satisfies(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofMillis(400)));
        assertThat(policy.nextDelay(9, throttled)).get().satisfies(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofSeconds(1)));
        assertThat(policy.nextDelay(10, throttled)).isEmpty();
        assertThat(policy.nextDelay(1, new KinesisError(KinesisError.VALIDATION, "bad"))).isEmpty();
    }
}
