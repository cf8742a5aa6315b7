package io.kinesisbridge.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.testing.RawConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 11: 500 requests whose clients hang up half-way through the body are counted
 * (kinesis_bridge_http_requests_aborted_total) and summed up in at most a line a minute, not logged as an ERROR each.
 */
@Tag("slow")
class HttpAbortFloodAbuseIT {

    private static final int ABORTS = 500;

    @Test
    void fiveHundredAbortedRequests_areCounted_andCostALineNotAThousand(@TempDir Path dir) throws Exception {
        try (AbuseRig rig = AbuseRig.start(dir, "http-abort-flood", Map.of())) {
            long linesBefore = rig.process().output().lines().count();
            for (int batch = 0; batch < ABORTS / 50; batch++) {
                List<RawConnection> connections = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    RawConnection c = RawConnection.open(rig.httpPort());
                    c.send(RawConnection.postHeaders("/clickstream", 1000) + "{\"userId\":\"abort\",\"pad\":\"");
                    connections.add(c);
                }
                connections.forEach(RawConnection::close);
            }
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() ->
                            aborted(rig) >= ABORTS || newLines(rig, linesBefore).size() > 5);
            List<String> added = newLines(rig, linesBefore);
            assertThat(added)
                    .as("log lines written for %d aborted requests", ABORTS)
                    .hasSizeLessThanOrEqualTo(3)
                    .noneMatch(l -> l.contains("ERROR"));
            assertThat(aborted(rig)).isEqualTo(ABORTS);
            AbuseLedger.row(
                            "HTTP: 500 requests aborted mid-body",
                            "counted in kinesis_bridge_http_requests_aborted_total, "
                                    + "at most one summary line a minute",
                            (long) aborted(rig) + " counted, " + added.size() + " log line(s)",
                            rig)
                    .check();
        }
    }

    private static double aborted(AbuseRig rig) {
        return PrometheusText.value(rig.process().metricsText(), "kinesis_bridge_http_requests_aborted_total");
    }

    private static List<String> newLines(AbuseRig rig, long before) {
        return rig.process().output().lines().skip(before).toList();
    }
}
