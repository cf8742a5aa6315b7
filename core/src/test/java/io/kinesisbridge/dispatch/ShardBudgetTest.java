package io.kinesisbridge.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.kinesisbridge.put.KinesisError;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class ShardBudgetTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aFullBucketHoldsOneSecondOfRecordsLessTheJitterReserve_thenRefillsAtTheRate() {
        ShardBudget budget = new ShardBudget(1000, 1 << 20, 0);
        int sent = 0;
        while (budget.fits(10, 0)) {
            budget.take(10);
            sent++;
        }
        assertThat(sent).isEqualTo(900);
        assertThat(budget.records()).isEqualTo(100.0);
        assertThat(budget.nanosUntilFits(10, 0)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(budget.fits(10, SECOND / 2000)).isFalse();
        assertThat(budget.fits(10, SECOND / 1000)).isTrue();
        assertThat(budget.fits(10, 10 * SECOND)).isTrue();
        assertThat(budget.records()).isEqualTo(1000.0);
        // the sustained rate is the full rate: 1,000 more records in the next second
        budget.take(10);
        int next = 0;
        for (long t = 10 * SECOND; t <= 11 * SECOND; t += SECOND / 10_000) {
            while (budget.fits(10, t)) {
                budget.take(10);
                next++;
            }
        }
        assertThat(next).isBetween(1000 + 899 - 1, 1000 + 899 + 1);
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
        assertThat(budget.fits(901, 5 * SECOND)).isTrue();
        assertThat(new ShardBudget(1000, 1000, 0).fits(5000, 0)).isTrue();
    }

    @Test
    void throttling_spendsWhatIsLeft_slowsTheRefill_andTheRateComesBackWithoutThrottles() {
        ShardBudget budget = new ShardBudget(1000, 1 << 20, 0);
        budget.throttled(0);
        assertThat(budget.fits(1, 0)).isFalse();
        assertThat(budget.share()).isEqualTo(0.9);
        assertThat(budget.nanosUntilFits(1, 0)).isEqualTo(112_222_223); // 101 records (one and the reserve) at 900/s
        for (int i = 0; i < 10; i++) {
            budget.throttled(0); // the other throttled records of the same answer
        }
        assertThat(budget.share()).isEqualTo(0.9);
        for (int i = 1; i <= 10; i++) {
            budget.throttled(i * SECOND / 4);
        }
        assertThat(budget.share()).isEqualTo(0.5);
        budget = new ShardBudget(1000, 1 << 20, 0);
        for (int i = 0; i <= 10; i++) {
            budget.throttled(0);
        }
        for (int i = 1; i <= 10; i++) {
            budget.throttled(i * SECOND / 4);
        }
        budget.fits(1, 10 * SECOND);
        assertThat(budget.share()).isCloseTo(0.65, Offset.offset(1e-9)); // 0.5 at 2.5 s, then 2% a second
        budget.fits(1, 60 * SECOND);
        assertThat(budget.share()).isEqualTo(1.0);
    }

    @RepeatedTest(20)
    void retryDelay_isFullJitterUnderAnExponentialCeiling_capped() {
        RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(1));
        KinesisError throttled = new KinesisError(KinesisError.THROUGHPUT_EXCEEDED, "Rate exceeded");
        assertThat(policy.nextDelay(1, throttled))
                .get()
                .satisfies(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofMillis(100)));
        assertThat(policy.nextDelay(3, throttled))
                .get()
                .satisfies(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofMillis(400)));
        assertThat(policy.nextDelay(9, throttled))
                .get()
                .satisfies(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofSeconds(1)));
        assertThat(policy.nextDelay(10, throttled)).isEmpty();
        assertThat(policy.nextDelay(1, new KinesisError(KinesisError.VALIDATION, "bad")))
                .isEmpty();
    }
}
