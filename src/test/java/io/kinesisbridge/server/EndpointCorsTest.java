package io.kinesisbridge.server;

import io.kinesisbridge.testing.RawConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint's CORS, as Kinesis answers it (kinesalite's tests, checked against AWS, pin the same): what lets the
 * AWS SDK for JavaScript call it from a web page.
 */
class EndpointCorsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SDK_HEADERS = "amz-sdk-invocation-id,amz-sdk-request,authorization,content-type,x-amz-date,"
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
        try (RawConnection c = RawConnection.open(server.port())) {
            c.send(request);
            return c.read(WAIT);
        }
    }

    @Test
    void preflight_is200_fromAnyOrigin_echoingTheRequestedMethodAndHeaders_withoutASignature() {
        RawConnection.Answer a = exchange("OPTIONS / HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://localhost:5173\r\n"
                + "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: " + SDK_HEADERS + "\r\n\r\n");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.headers()).containsEntry("access-control-allow-origin", "*")
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
        RawConnection.Answer a = exchange("OPTIONS / HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: whatever\r\n\r\n");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.headers()).containsEntry("access-control-allow-origin", "*").containsEntry("access-control-max-age", "172800")
                .doesNotContainKeys("access-control-allow-headers", "access-control-allow-methods");
    }

    @Test
    void optionsWithoutOrigin_staysAccessDenied() {
        RawConnection.Answer a = exchange("OPTIONS / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.headers()).containsEntry("x-amzn-errortype", "AccessDeniedException").doesNotContainKey("access-control-allow-origin");
    }

    @Test
    void answersToAPageExposeTheResponseHeadersTheSdkReads_errorsIncluded() {
        String body = "{\"StreamName\":\"browser\",\"PartitionKey\":\"u1\",\"Data\":\"aGk=\"}";
        RawConnection.Answer ok = exchange("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://localhost:5173\r\n"
                + "Content-Type: application/x-amz-json-1.1\r\nX-Amz-Target: Kinesis_20131202.PutRecord\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.headers()).containsEntry("access-control-allow-origin", "*")
                .containsEntry("access-control-expose-headers", EndpointCors.EXPOSED_HEADERS);
        assertThat(EndpointCors.EXPOSED_HEADERS.split(",")).contains("x-amzn-RequestId", "x-amzn-ErrorType", "x-amz-id-2", "Date");

        RawConnection.Answer error = exchange("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://localhost:5173\r\n"
                + "Content-Type: application/x-amz-json-1.1\r\nX-Amz-Target: Kinesis_20131202.Nope\r\nContent-Length: 2\r\n\r\n{}");
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.headers()).containsEntry("access-control-allow-origin", "*")
                .containsEntry("access-control-expose-headers", EndpointCors.EXPOSED_HEADERS);

        RawConnection.Answer noOrigin = exchange("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n"
                + "X-Amz-Target: Kinesis_20131202.ListStreams\r\nContent-Length: 2\r\n\r\n{}");
        assertThat(noOrigin.status()).isEqualTo(200);
        assertThat(noOrigin.headers()).doesNotContainKeys("access-control-allow-origin", "access-control-expose-headers");
    }
}
