package io.kinesisbridge.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 13: an unthrottled burst of syslog datagrams overflows the socket's receive buffer and the kernel drops
 * the rest; nothing said so. Now every dropped datagram is in kinesis_bridge_syslog_udp_drops_total and a WARN
 * names the count.
 */
@Tag("slow")
class SyslogUdpDropsAbuseIT {

    private static final String RECORDS_IN = "kinesis_bridge_records_in_total{stream=\"logs\"}";
    private static final String DROPS = "kinesis_bridge_syslog_udp_drops_total";

    @Test
    void anUnthrottledUdpBurst_everyLostDatagramIsInTheDropMetric_andLogged(@TempDir Path dir) throws Exception {
        try (AbuseRig rig = AbuseRig.start(dir, "syslog-udp-drops", Map.of())) {
            double recordsBefore = PrometheusText.value(rig.process().metricsText(), RECORDS_IN);
            int sent = 50_000;
            try (DatagramSocket udp = new DatagramSocket()) {
                for (int i = 0; i < sent; i++) {
                    byte[] m = ("<14>1 2026-12-03T10:00:00.000Z burst-host burst 42 - - udp burst datagram " + i)
                            .getBytes(StandardCharsets.UTF_8);
                    udp.send(new DatagramPacket(m, m.length, InetAddress.getLoopbackAddress(), rig.syslogPort()));
                }
            }
            // each datagram became a record or is counted as dropped by the kernel
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                String metrics = rig.process().metricsText();
                return PrometheusText.value(metrics, DROPS) >= 0
                        && PrometheusText.value(metrics, RECORDS_IN)
                                        - recordsBefore
                                        + PrometheusText.value(metrics, DROPS)
                                == sent;
            });
            String metrics = rig.process().metricsText();
            double drops = PrometheusText.value(metrics, DROPS);
            double taken = PrometheusText.value(metrics, RECORDS_IN) - recordsBefore;
            assertThat(drops).as("datagrams the kernel dropped").isPositive();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> rig.process().output().contains("the kernel dropped"));

            AbuseLedger.row(
                            "50,000 syslog datagrams, unthrottled (UDP)",
                            "every drop in the metric and a WARN; TCP for bursts",
                            String.format("%.0f taken + %.0f dropped = %d sent; WARN logged", taken, drops, sent),
                            rig)
                    .check();
        }
    }
}
