package io.kinesisbridge.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EventSummaryTest {

    private final AtomicLong clock = new AtomicLong();
    private final List<String> lines = new ArrayList<>();
    private final EventSummary summary =
            new EventSummary("requests aborted", Duration.ofSeconds(60), lines::add, clock::get);

    @Test
    void aThousandEvents_inOneInterval_makeOneLine_andTheRestIsSummedUpAfterTheInterval() {
        for (int i = 0; i < 1000; i++) {
            summary.record();
        }
        summary.flush();
        assertThat(lines).containsExactly("requests aborted: 1 (further ones are summed up at most once every 60 s)");
        clock.addAndGet(Duration.ofSeconds(61).toNanos());
        summary.flush();
        summary.flush();
        assertThat(lines).hasSize(2).last().isEqualTo("requests aborted: 999 in the last 61 s, 1000 in all");
        assertThat(summary.total()).isEqualTo(1000);
    }

    @Test
    void nothingNew_logsNothing_andADetailNamesTheLastEvent() {
        summary.record("java.lang.IllegalStateException: first");
        clock.addAndGet(Duration.ofSeconds(120).toNanos());
        summary.flush();
        assertThat(lines).hasSize(1);
        summary.record("java.lang.IllegalStateException: second");
        summary.record("java.lang.IllegalStateException: third");
        assertThat(lines)
                .containsExactly(
                        "requests aborted: 1 (further ones are summed up at most once every 60 s); java.lang.IllegalStateException: first",
                        "requests aborted: 1 in the last 120 s, 2 in all; java.lang.IllegalStateException: second");
        clock.addAndGet(Duration.ofSeconds(60).toNanos());
        summary.flush();
        assertThat(lines)
                .last()
                .isEqualTo("requests aborted: 1 in the last 60 s, 3 in all; java.lang.IllegalStateException: third");
    }
}
