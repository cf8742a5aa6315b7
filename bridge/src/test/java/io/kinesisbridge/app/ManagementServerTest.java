package io.kinesisbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kinesisbridge.net.CannotListenException;
import io.kinesisbridge.testing.FreePorts;
import io.kinesisbridge.testing.RawConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The management server over real sockets: probes answered whatever other clients do, its paths, its limits. */
class ManagementServerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    static RunningBridge bridge;
    static int port;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<RawConnection> connections = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        bridge = RunningBridge.start(
                dir, Map.of("bridge.management.request-timeout-ms", "1000", "bridge.management.max-connections", "32"));
        port = bridge.context()
                .getRegistry()
                .lookupByNameAndType("managementServer", ManagementServer.class)
                .port();
    }

    @AfterAll
    static void stop() throws Exception {
        bridge.close();
    }

    @AfterEach
    void closeConnections() {
        connections.forEach(RawConnection::close);
    }

    private RawConnection connect() {
        RawConnection c = RawConnection.open(port);
        connections.add(c);
        return c;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(WAIT)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void connectionsThatStallMidRequest_doNotHoldUpTheProbes() throws Exception {
        for (int i = 0; i < 5; i++) {
            connect().send("GET /observe/health/live HTTP/1.1\r\nHo");
        }
        // twenty probes on one keep-alive connection, each answered while the five stall
        for (int i = 0; i < 20; i++) {
            assertThat(get(i % 2 == 0 ? "/observe/health/live" : "/observe/health/ready")
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void pathsAndAnswers_areThoseTheProbesKnow() throws Exception {
        HttpResponse<String> all = get("/observe/health?exposureLevel=full");
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(all.body()).contains("\"status\" : \"UP\"", "\"name\" : \"backend\"");
        assertThat(get("/observe/health/").statusCode()).isEqualTo(200);
        assertThat(get("/observe/health/live").body()).contains("\"status\" : \"UP\"");
        assertThat(get("/observe/health/ready").statusCode()).isEqualTo(200);
        HttpResponse<String> unknown = get("/observe/health/nope");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("no such path\n");
        assertThat(get("/elsewhere").statusCode()).isEqualTo(404);
        HttpResponse<String> metrics = get("/observe/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(metrics.body()).contains("kinesis_bridge_listener_connections_open{listener=\"management\"}");
    }

    @Test
    void aReadinessCheckThatBlocks_holdsUpNeitherLivenessNorTheOtherProbes() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        HealthCheckRegistry registry = HealthCheckRegistry.get(bridge.context());
        AbstractHealthCheck stuck = new AbstractHealthCheck("test", "stuck") {
            @Override
            public boolean isLiveness() {
                return false;
            }

            @Override
            protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                builder.up();
            }
        };
        registry.register(stuck);
        try {
            List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                waiting.add(client.sendAsync(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/ready"))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (int i = 0; i < 10; i++) {
                assertThat(get("/observe/health/live").statusCode()).isEqualTo(200);
            }
            assertThat(waiting).noneMatch(CompletableFuture::isDone);
            release.countDown();
            for (CompletableFuture<HttpResponse<String>> w : waiting) {
                assertThat(w.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
        } finally {
            release.countDown();
            registry.unregister(stuck);
        }
    }

    @Test
    void aRequestThatDoesNotComeWhole_isClosedAfterBridgeManagementRequestTimeout() {
        RawConnection slow = connect();
        slow.send("GET /observe/health/live HTTP/1.1\r\n");
        slow.awaitClosedByPeer(WAIT, "X");
    }

    @Test
    void aTakenManagementPort_stopsTheStart_withTheAddressAndTheSetting() throws Exception {
        try (ServerSocket taken = new ServerSocket(FreePorts.tcp(), 1, InetAddress.getLoopbackAddress())) {
            int p = taken.getLocalPort();
            assertThatThrownBy(() -> RunningBridge.start(
                            dir.resolve("taken"), Map.of("bridge.management.port", String.valueOf(p))))
                    .satisfies(e -> assertThat(CannotListenException.in(e))
                            .isNotNull()
                            .hasMessage("cannot listen on 127.0.0.1:" + p
                                    + " (bridge.management.port): address already in use"));
        }
    }
}
