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
 * Finding 6: connections that stall half-way through a request on the management port must not hold up the
 * liveness and readiness probes, and are closed after bridge.management.request-timeout-ms (10 s by default).
 */
@Tag("slow")
class ManagementStallAbuseIT {

    @Test
    void stalledManagementConnections_leaveTheProbesAnswering_andAreClosed(@TempDir Path dir) throws Exception {
        try (AbuseRig rig = AbuseRig.start(dir, "management-stall", Map.of())) {
            List<RawConnection> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 10; i++) {
                    RawConnection c = RawConnection.open(rig.managementPort());
                    c.send("GET /observe/health/live HTTP/1.1\r\nHo");
                    stalled.add(c);
                }
                int answered = 0;
                for (int i = 0; i < 20; i++) {
                    int status = rig.process()
                            .get(i % 2 == 0 ? "/observe/health/live" : "/observe/health/ready")
                            .statusCode();
                    assertThat(status)
                            .as("probe %d while 10 connections stall", i)
                            .isEqualTo(200);
                    answered++;
                }
                await().atMost(Duration.ofSeconds(40))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> stalled.stream().allMatch(c -> c.closedByPeer(Duration.ofMillis(10))));
                AbuseLedger.row(
                                "management: 10 connections stall mid-request",
                                "probes answered 200 meanwhile; the stalled "
                                        + "connections closed after bridge.management.request-timeout-ms",
                                answered
                                        + " of 20 probes answered 200; all 10 stalled connections closed by the bridge",
                                rig)
                        .check();
            } finally {
                stalled.forEach(RawConnection::close);
            }
        }
    }
}
