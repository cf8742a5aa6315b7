package io.kinesisbridge.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 7 for syslog over TCP: 10,000 idle connections were all kept (and 21,000 exhausted the bridge's file
 * descriptors). Now connections past bridge.syslog.max-connections (256) are closed as they come, and counted.
 */
@Tag("slow")
class SyslogConnectionFloodAbuseIT {

    @Test
    void tenThousandIdleConnections_pastTheMaximumAreClosedAtOnce_andCounted(@TempDir Path dir) throws Exception {
        try (AbuseRig rig = AbuseRig.start(dir, "syslog-connection-flood", Map.of());
                AttackSockets attack = new AttackSockets()) {
            List<Socket> flood = attack.open(rig.syslogPort(), 10_000);
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> AttackSockets.closedByPeer(flood) >= flood.size() - 256);
            String metrics = rig.process().metricsText();
            double refused = PrometheusText.value(
                    metrics, "kinesis_bridge_listener_connections_refused_total{listener=\"syslog-tcp\"}");
            double open =
                    PrometheusText.value(metrics, "kinesis_bridge_listener_connections_open{listener=\"syslog-tcp\"}");
            assertThat(refused).isGreaterThanOrEqualTo(flood.size() - 256);
            assertThat(open).isEqualTo(256);
            assertThat(rig.process().output()).doesNotContain("Too many open files");
            // while the attacker holds every slot, other senders are refused too: it has to let go (or be idle 10 min)
            attack.close();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> PrometheusText.value(
                                    rig.process().metricsText(),
                                    "kinesis_bridge_listener_connections_open{listener=\"syslog-tcp\"}")
                            == 0);

            AbuseLedger.row(
                            "10,000 idle syslog TCP connections",
                            "past 256 closed at once and counted; no fd exhaustion",
                            String.format(
                                    "%.0f of %d refused at once, %.0f held until the attacker let go",
                                    refused, flood.size(), open),
                            rig)
                    .check();
        }
    }
}
