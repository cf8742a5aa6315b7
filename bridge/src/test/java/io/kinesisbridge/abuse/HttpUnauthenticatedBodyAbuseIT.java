package io.kinesisbridge.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.testing.RawConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 12: with a bearer token set, 64 clients announcing 5 MiB bodies without it get their 401 before they send a
 * byte of body; and the body bytes held over all connections stay under bridge.http.max-body-bytes-in-flight
 * (32 MiB), the requests past it answered 503 with Retry-After.
 */
@Tag("slow")
class HttpUnauthenticatedBodyAbuseIT {

    private static final String TOKEN = "abuse-token-12";
    private static final int FIVE_MIB = 5 << 20;
    private static final long IN_FLIGHT_LIMIT = 32L << 20;

    @Test
    void unauthenticatedFiveMibUploads_get401BeforeTheirBody(@TempDir Path dir) throws Exception {
        try (AbuseRig rig = AbuseRig.start(dir, "http-unauthenticated-body", Map.of("bridge.http.token", TOKEN))) {
            List<RawConnection> connections = new ArrayList<>();
            int answered = 0;
            try {
                for (int i = 0; i < 64; i++) {
                    RawConnection c = RawConnection.open(rig.httpPort());
                    connections.add(c);
                    c.send(RawConnection.postHeaders("/clickstream", FIVE_MIB));
                }
                for (RawConnection c : connections) {
                    // no body byte was sent: an answer now can only be the refusal from the headers
                    RawConnection.Answer answer = c.read(Duration.ofSeconds(10));
                    assertThat(answer.status()).isEqualTo(401);
                    answered++;
                }
            } finally {
                connections.forEach(RawConnection::close);
            }
            AbuseLedger.row(
                            "HTTP: 64 uploads of 5 MiB without the token",
                            "401 from the headers, before any body byte",
                            answered + " of 64 answered 401 with no body sent",
                            rig)
                    .check();
        }
    }

    @Test
    void authenticatedUploadsPastTheBodyBytesInFlight_get503_andTheBytesAreGivenBack(@TempDir Path dir)
            throws Exception {
        try (AbuseRig rig = AbuseRig.start(dir, "http-body-bytes-in-flight", Map.of("bridge.http.token", TOKEN))) {
            List<RawConnection> connections = new ArrayList<>();
            byte[] firstMib = ("{\"userId\":\"big\",\"pad\":\"" + "x".repeat((1 << 20) - 24)).getBytes();
            int refused = 0;
            double peak;
            try {
                for (int i = 0; i < 64; i++) {
                    RawConnection c = RawConnection.open(rig.httpPort());
                    connections.add(c);
                    c.send(RawConnection.postHeaders("/clickstream", FIVE_MIB, "Authorization: Bearer " + TOKEN));
                    c.send(firstMib);
                }
                peak = bytesInFlight(rig);
                for (RawConnection c : connections) {
                    Optional<RawConnection.Answer> answer = c.tryRead(Duration.ofMillis(100));
                    if (answer.isPresent()) {
                        assertThat(answer.get().status()).isEqualTo(503);
                        assertThat(answer.get().headers()).containsKey("retry-after");
                        refused++;
                    }
                }
                assertThat(refused)
                        .as("uploads refused past %d bytes in flight", IN_FLIGHT_LIMIT)
                        .isGreaterThanOrEqualTo(30);
                assertThat(peak).isBetween(1.0, (double) IN_FLIGHT_LIMIT);
            } finally {
                connections.forEach(RawConnection::close);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> bytesInFlight(rig) == 0);
            AbuseLedger.row(
                            "HTTP: 64 authenticated uploads announcing 5 MiB, 1 MiB sent each",
                            "body bytes held stay under bridge.http.max-body-bytes-in-flight (32 MiB); the rest answered 503",
                            refused + " of 64 answered 503; " + (long) peak
                                    + " bytes held once all were sent, 0 after they closed",
                            rig)
                    .check();
        }
    }

    private static double bytesInFlight(AbuseRig rig) {
        return PrometheusText.value(rig.process().metricsText(), "kinesis_bridge_http_body_bytes_in_flight");
    }
}
