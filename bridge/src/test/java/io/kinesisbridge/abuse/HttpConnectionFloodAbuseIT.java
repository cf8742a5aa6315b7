package io.kinesisbridge.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.testing.RawConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 7 (HTTP), with the shipped limits (512 connections, 30 s request timeout): 100 slowloris connections
 * trickling header bytes, 100 keep-alive connections left idle after one event each, and 600 connections that send
 * nothing. The ones over the cap are closed at once, every other one once its request timeout has passed, and the
 * bridge then serves as before.
 */
@Tag("slow")
class HttpConnectionFloodAbuseIT {

    private static final int MAX_CONNECTIONS = 512;

    @Test
    void slowlorisIdleKeepAlivesAndAFloodOfConnections_areClosed_andTheBridgeServesOn(@TempDir Path dir)
            throws Exception {
        try (AbuseRig rig = AbuseRig.start(dir, "http-connection-flood", Map.of())) {
            List<RawConnection> slowloris = new ArrayList<>();
            List<RawConnection> idle = new ArrayList<>();
            List<RawConnection> flood = new ArrayList<>();
            try {
                for (int i = 0; i < 100; i++) {
                    RawConnection c = RawConnection.open(rig.httpPort());
                    c.send("POST /clickstream HTTP/1.1\r\nHost: 127.0.0.1\r\n");
                    slowloris.add(c);
                }
                for (int i = 0; i < 100; i++) {
                    RawConnection c = RawConnection.open(rig.httpPort());
                    String marker = rig.marker();
                    c.send(RawConnection.post("/clickstream", "{\"userId\":\"idle\",\"id\":\"" + marker + "\"}"));
                    RawConnection.Answer answer = c.read(Duration.ofSeconds(30));
                    assertThat(answer.status()).isEqualTo(200);
                    assertThat(answer.body()).contains("\"FailedRecordCount\":0");
                    rig.accepted(AbuseRig.HTTP_STREAM, marker);
                    idle.add(c);
                }
                for (int i = 0; i < 600; i++) {
                    flood.add(RawConnection.open(rig.httpPort()));
                }
                int overTheCap = slowloris.size() + idle.size() + flood.size() - MAX_CONNECTIONS;
                await().atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> flood.stream()
                                        .filter(c -> c.closedByPeer(Duration.ofMillis(1)))
                                        .count()
                                >= overTheCap);
                long refusedAtOnce = flood.stream()
                        .filter(c -> c.closedByPeer(Duration.ofMillis(1)))
                        .count();

                // the slowloris connections go on trickling header bytes until they are closed
                await().atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> {
                            slowloris.forEach(c -> c.send("X"));
                            return Stream.of(slowloris, idle, flood)
                                    .flatMap(List::stream)
                                    .allMatch(c -> c.closedByPeer(Duration.ofMillis(1)));
                        });
                String metrics = rig.process().metricsText();
                double refused = PrometheusText.value(
                        metrics, "kinesis_bridge_listener_connections_refused_total{listener=\"http\"}");
                double timedOut = PrometheusText.value(
                        metrics, "kinesis_bridge_listener_connections_timed_out_total{listener=\"http\"}");
                assertThat(refused).isGreaterThanOrEqualTo(overTheCap);
                assertThat(refused + timedOut).isGreaterThanOrEqualTo(800);
                AbuseLedger.row(
                                "HTTP: 100 slowloris + 100 idle keep-alives + 600 idle connections",
                                "at most bridge.http.max-connections (512) open, the rest closed at once; the others closed after "
                                        + "bridge.http.request-timeout-ms (30 s)",
                                refusedAtOnce + " of the 600 closed at once; all 800 closed; metrics: " + (long) refused
                                        + " refused, " + (long) timedOut + " timed out",
                                rig)
                        .check();
            } finally {
                Stream.of(slowloris, idle, flood).flatMap(List::stream).forEach(RawConnection::close);
            }
        }
    }
}
