package io.kinesisbridge.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 7 for the Kinesis endpoint: thousands of silent connections, then slowloris clients sending a request head a
 * byte at a time. Without a limit every one was kept; now connections past bridge.endpoint.max-connections (256)
 * are closed as they come, and a head that takes longer than bridge.endpoint.header-timeout-ms (10 s) is closed.
 */
@Tag("slow")
class EndpointConnectionFloodAbuseIT {

    @Test
    void silentConnectionsPastTheMaximum_andSlowHeads_areClosed(@TempDir Path dir) throws Exception {
        try (AbuseRig rig = AbuseRig.start(dir, "endpoint-connection-flood", Map.of());
                AttackSockets silent = new AttackSockets();
                AttackSockets slow = new AttackSockets()) {
            List<Socket> flood = silent.open(rig.endpointPort(), 3_000);
            await().atMost(Duration.ofSeconds(60)).until(() -> AttackSockets.closedByPeer(flood) >= flood.size() - 256);
            double refused = PrometheusText.value(
                    rig.process().metricsText(),
                    "kinesis_bridge_listener_connections_refused_total{listener=\"kinesis-endpoint\"}");
            assertThat(refused).isGreaterThanOrEqualTo(flood.size() - 256);
            silent.close();

            List<Socket> heads = slow.open(rig.endpointPort(), 100);
            for (Socket s : heads) {
                AttackSockets.send(s, "POST / HTTP/1.1\r\nX-Slow: ");
            }
            // a byte per connection every poll: each connection is busy, but its head never completes
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        for (Socket s : heads) {
                            try {
                                AttackSockets.send(s, "a");
                            } catch (IOException e) {
                                // closed by the bridge
                            }
                        }
                        return AttackSockets.closedByPeer(heads) == heads.size();
                    });
            double slowClosed = PrometheusText.value(
                    rig.process().metricsText(),
                    "kinesis_bridge_listener_connections_timed_out_total{listener=\"kinesis-endpoint\"}");
            assertThat(slowClosed).isGreaterThanOrEqualTo(heads.size());

            AbuseLedger.row(
                            "3,000 silent connections, then 100 slowloris heads (endpoint)",
                            "past 256 closed at once; slow heads closed after 10 s",
                            String.format(
                                    "%.0f of %d refused at once; %.0f timed out, the 100 slow heads among them",
                                    refused, flood.size(), slowClosed),
                            rig)
                    .check();
        }
    }
}
