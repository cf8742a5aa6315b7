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
 * Finding 5: requests to the Kinesis endpoint that announce 16 MiB bodies and send none. The endpoint reserved the
 * announced size at once, so 40 of them were OutOfMemoryErrors in a 256 MiB heap. Now nothing is reserved before
 * bytes arrive, and bodies that do arrive are bounded over all connections (503 beyond).
 */
@Tag("slow")
class EndpointBodyReservationAbuseIT {

    private static final int MIB = 1_048_576;

    private static String head(long contentLength) {
        return "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n"
                + "X-Amz-Target: Kinesis_20131202.PutRecords\r\nContent-Length: " + contentLength + "\r\n\r\n";
    }

    @Test
    void headerOnlyRequestsAnnouncing16MiB_reserveNothing_andBodiesPastTheBudgetAre503(@TempDir Path dir)
            throws Exception {
        try (AbuseRig rig = AbuseRig.start(dir, "endpoint-body-reservation", Map.of());
                AttackSockets attack = new AttackSockets()) {
            List<Socket> heads = attack.open(rig.endpointPort(), 100);
            for (Socket s : heads) {
                AttackSockets.send(s, head(16L * MIB));
            }
            // 100 x 16 MiB announced: 1.6 GB if reserved up front, in a 256 MiB heap
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(15))
                    .until(() ->
                            rig.process().isAlive() && !rig.process().output().contains("OutOfMemoryError"));
            double heldAfterHeads =
                    PrometheusText.value(rig.process().metricsText(), "kinesis_bridge_endpoint_body_bytes_in_flight");
            assertThat(heldAfterHeads)
                    .as("body bytes held for announced lengths")
                    .isZero();

            // 8 bodies of which 8 MiB each arrive: 64 MiB, twice the default budget of body bytes in flight
            List<Socket> bodies = attack.open(rig.endpointPort(), 8);
            byte[] chunk = new byte[MIB];
            for (Socket s : bodies) {
                try {
                    AttackSockets.send(s, head(16L * MIB));
                    for (int i = 0; i < 8; i++) {
                        s.getOutputStream().write(chunk);
                    }
                } catch (IOException e) {
                    // answered 503 and closed while sending: the budget was full
                }
            }
            String metrics = rig.process().metricsText();
            double refused =
                    PrometheusText.value(metrics, "kinesis_bridge_endpoint_requests_refused_total{status=\"503\"}");
            double held = PrometheusText.value(metrics, "kinesis_bridge_endpoint_body_bytes_in_flight");
            assertThat(refused).as("bodies answered 503 past the budget").isPositive();
            assertThat(held).as("body bytes held").isBetween(1.0, 32.0 * MIB);
            assertThat(rig.process().output()).doesNotContain("OutOfMemoryError");

            // the rig reads through the endpoint while the 100 heads still wait
            AbuseLedger.row(
                            "100 header-only PutRecords announcing 16 MiB each, then 8 x 8 MiB of 16 MiB bodies (endpoint)",
                            "nothing reserved for announced bytes; bodies past the 32 MiB budget 503; no OutOfMemoryError",
                            String.format(
                                    "%.0f bytes held after the heads; %.0f answered 503, %.1f MiB held; no OutOfMemoryError",
                                    heldAfterHeads, refused, held / MIB),
                            rig)
                    .check();
        }
    }
}
