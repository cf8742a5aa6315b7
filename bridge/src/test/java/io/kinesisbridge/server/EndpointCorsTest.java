package io.kinesisbridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kinesisbridge.net.AllowedOrigins;
import io.kinesisbridge.testing.RawConnection;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The endpoint's CORS, as Kinesis answers it (kinesalite's tests, checked against AWS, pin the same): what lets the
 * AWS SDK for JavaScript call it from a web page; and, since this endpoint checks no signature, which pages may.
 */
class EndpointCorsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SDK_HEADERS =
            "amz-sdk-invocation-id,amz-sdk-request,authorization,content-type,x-amz-date,"
                    + "x-amz-target,x-amz-user-agent";
    private static RunningEndpoint server;

    @BeforeAll
    static void start() {
        server = RunningEndpoint.start();
        server.store.createStream("browser", 1);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawConnection.Answer exchange(String request) {
        return exchange(server, request);
    }

    private static RawConnection.Answer exchange(RunningEndpoint to, String request) {
        try (RawConnection c = RawConnection.open(to.port())) {
            c.send(request);
            return c.read(WAIT);
        }
    }

    @Test
    void preflight_is200_fromAnyOrigin_echoingTheRequestedMethodAndHeaders_withoutASignature() {
        RawConnection.Answer a = exchange("OPTIONS / HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://localhost:5173\r\n"
                + "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: " + SDK_HEADERS + "\r\n\r\n");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.headers())
                .containsEntry("access-control-allow-origin", "*")
                .containsEntry("access-control-allow-methods", "POST")
                .containsEntry("access-control-allow-headers", SDK_HEADERS)
                .containsEntry("access-control-max-age", "172800")
                .containsEntry("content-length", "0")
                .containsKey("x-amzn-requestid")
                .doesNotContainKeys("content-type", "x-amz-id-2", "x-amzn-errortype");
        assertThat(a.body()).isEmpty();
    }

    @Test
    void preflight_withOnlyAnOrigin_is200_withNothingToEcho() {
        RawConnection.Answer a =
                exchange("OPTIONS / HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://127.0.0.1:9000\r\n\r\n");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.headers())
                .containsEntry("access-control-allow-origin", "*")
                .containsEntry("access-control-max-age", "172800")
                .doesNotContainKeys("access-control-allow-headers", "access-control-allow-methods");
    }

    @Test
    void optionsWithoutOrigin_staysAccessDenied() {
        RawConnection.Answer a = exchange("OPTIONS / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.headers())
                .containsEntry("x-amzn-errortype", "AccessDeniedException")
                .doesNotContainKey("access-control-allow-origin");
    }

    @Test
    void answersToAPageExposeTheResponseHeadersTheSdkReads_errorsIncluded() {
        String body = "{\"StreamName\":\"browser\",\"PartitionKey\":\"u1\",\"Data\":\"aGk=\"}";
        RawConnection.Answer ok = exchange("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://localhost:5173\r\n"
                + "Content-Type: application/x-amz-json-1.1\r\nX-Amz-Target: Kinesis_20131202.PutRecord\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.headers())
                .containsEntry("access-control-allow-origin", "*")
                .containsEntry("access-control-expose-headers", EndpointCors.EXPOSED_HEADERS);
        assertThat(EndpointCors.EXPOSED_HEADERS.split(","))
                .contains("x-amzn-RequestId", "x-amzn-ErrorType", "x-amz-id-2", "Date");

        RawConnection.Answer error = exchange(
                "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://localhost:5173\r\n"
                        + "Content-Type: application/x-amz-json-1.1\r\nX-Amz-Target: Kinesis_20131202.Nope\r\nContent-Length: 2\r\n\r\n{}");
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.headers())
                .containsEntry("access-control-allow-origin", "*")
                .containsEntry("access-control-expose-headers", EndpointCors.EXPOSED_HEADERS);

        RawConnection.Answer noOrigin =
                exchange("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n"
                        + "X-Amz-Target: Kinesis_20131202.ListStreams\r\nContent-Length: 2\r\n\r\n{}");
        assertThat(noOrigin.status()).isEqualTo(200);
        assertThat(noOrigin.headers())
                .doesNotContainKeys("access-control-allow-origin", "access-control-expose-headers");
    }

    private static final String PUT_RECORD =
            "{\"StreamName\":\"browser\",\"PartitionKey\":\"evil\",\"Data\":\"ZXZpbA==\"}";

    private static String putRecordFrom(String origin) {
        return "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: " + origin
                + "\r\nContent-Type: application/x-amz-json-1.1\r\n"
                + "X-Amz-Target: Kinesis_20131202.PutRecord\r\nContent-Length: " + PUT_RECORD.length() + "\r\n\r\n"
                + PUT_RECORD;
    }

    @Test
    void aPageFromElsewhere_isRefusedByDefault_preflightAndRequestAlike_andNothingIsWritten() {
        RawConnection.Answer pre = exchange("OPTIONS / HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://evil.example\r\n"
                + "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: x-amz-target\r\n\r\n");
        assertThat(pre.status()).isEqualTo(403);
        assertThat(pre.headers())
                .containsEntry("x-amzn-errortype", "AccessDeniedException")
                .doesNotContainKey("access-control-allow-origin");
        assertThat(pre.body()).contains("bridge.endpoint.cors.allowed-origins");
        // what a DNS-rebinding page would send: its own origin, same-origin to the browser, so no preflight
        RawConnection.Answer put = exchange(putRecordFrom("http://rebound.example:4567"));
        assertThat(put.status()).isEqualTo(403);
        assertThat(server.store.readAll("browser"))
                .noneMatch(r -> r.partitionKey().equals("evil"));
    }

    @Test
    void star_servesEveryPage_asAws() {
        try (RunningEndpoint any = RunningEndpoint.start()) {
            any.endpoint.allowBrowsersFrom(AllowedOrigins.ANY);
            RawConnection.Answer a = exchange(
                    any,
                    "OPTIONS / HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: whatever\r\n"
                            + "Access-Control-Request-Headers: a, b, c\r\nAccess-Control-Request-Method: d\r\n\r\n");
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.headers())
                    .containsEntry("access-control-allow-origin", "*")
                    .containsEntry("access-control-allow-headers", "a, b, c")
                    .containsEntry("access-control-allow-methods", "d")
                    .containsEntry("access-control-max-age", "172800");
        }
    }

    @Test
    void none_leavesTheEndpointAsItWas_preflightsDenied_requestsServedWithoutCorsHeaders() {
        try (RunningEndpoint none = RunningEndpoint.start()) {
            none.endpoint.allowBrowsersFrom(AllowedOrigins.NONE);
            none.store.createStream("browser", 1);
            RawConnection.Answer pre = exchange(
                    none,
                    "OPTIONS / HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://localhost:5173\r\n"
                            + "Access-Control-Request-Method: POST\r\n\r\n");
            assertThat(pre.status()).isEqualTo(403);
            assertThat(pre.headers())
                    .containsEntry("x-amzn-errortype", "AccessDeniedException")
                    .doesNotContainKey("access-control-allow-origin");
            RawConnection.Answer put = exchange(none, putRecordFrom("http://localhost:5173"));
            assertThat(put.status()).isEqualTo(200);
            assertThat(put.headers()).doesNotContainKey("access-control-allow-origin");
        }
    }
}
