package io.kinesisbridge.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.testing.FreePorts;
import io.kinesisbridge.testing.RawConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A listener held to its limits, over real sockets: a connection cap, the request timeout, the idle timeout. */
class GuardedHttpServerTest {

    private static Vertx vertx;
    private GuardedHttpServer server;
    private final List<RawConnection> connections = new ArrayList<>();

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() {
        vertx.close();
    }

    @AfterEach
    void close() {
        connections.forEach(RawConnection::close);
        if (server != null) {
            server.close();
        }
    }

    /** Answers "ok" once the whole body is in. */
    private static void ok(HttpServerRequest request) {
        request.body().onSuccess(body -> request.response().end("ok"));
    }

    private GuardedHttpServer start(int maxConnections, Duration idle, Duration request) {
        server = GuardedHttpServer.listen(
                vertx,
                "test",
                "Test listener",
                new ListenAddress("127.0.0.1", 0, "bridge.test.port"),
                new ListenerLimits(maxConnections, idle, request),
                new HttpServerOptions(),
                GuardedHttpServerTest::ok);
        return server;
    }

    private RawConnection connect() {
        RawConnection c = RawConnection.open(server.port());
        connections.add(c);
        return c;
    }

    @Test
    void connectionsOverTheMaximum_areClosedAsSoonAsAccepted_andCounted_whileTheOthersAreServed() {
        start(3, Duration.ofSeconds(30), Duration.ofSeconds(30));
        for (int i = 0; i < 3; i++) {
            connect();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 3);
        RawConnection fourth = connect();
        RawConnection fifth = connect();
        assertThat(fourth.closedByPeer(Duration.ofSeconds(10))).isTrue();
        assertThat(fifth.closedByPeer(Duration.ofSeconds(10))).isTrue();
        assertThat(server.refusedConnections()).isEqualTo(2);

        RawConnection first = connections.get(0);
        first.send(RawConnection.post("/", "{}"));
        assertThat(first.read(Duration.ofSeconds(10)).body()).isEqualTo("ok");
        first.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 2);
        RawConnection next = connect();
        next.send(RawConnection.post("/", "{}"));
        assertThat(next.read(Duration.ofSeconds(10)).status()).isEqualTo(200);
    }

    @Test
    void headersSentAByteAtATime_slowloris_areClosedAfterTheRequestTimeout_andCounted() {
        start(10, Duration.ofSeconds(30), Duration.ofMillis(400));
        RawConnection slow = connect();
        slow.send("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        // a header byte every 50 ms keeps the idle timeout away, not the request timeout
        slow.awaitClosedByPeer(Duration.ofSeconds(10), "X");
        assertThat(server.timedOutConnections()).isEqualTo(1);
    }

    @Test
    void aBodyThatDoesNotComeWhole_isClosedAfterTheRequestTimeout() {
        start(10, Duration.ofSeconds(30), Duration.ofMillis(400));
        RawConnection slow = connect();
        slow.send(RawConnection.postHeaders("/", 1_000_000));
        slow.awaitClosedByPeer(Duration.ofSeconds(10), "x");
        assertThat(server.timedOutConnections()).isEqualTo(1);
    }

    @Test
    void aKeepAliveConnection_servesRequestAfterRequest_andIsClosedOnceNoneComesWithinTheRequestTimeout() {
        start(10, Duration.ofSeconds(30), Duration.ofMillis(400));
        RawConnection c = connect();
        // a request every 100 ms for a second: longer than the timeout, but each came in time
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> c.send(RawConnection.post("/", "{}"))
                        && c.read(Duration.ofSeconds(5)).status() == 200);
        assertThat(server.timedOutConnections()).isZero();
        assertThat(c.closedByPeer(Duration.ofSeconds(10))).isTrue();
        assertThat(server.timedOutConnections()).isEqualTo(1);
    }

    @Test
    void aConnectionOnWhichNothingMoves_isClosedAfterTheIdleTimeout() {
        start(10, Duration.ofMillis(300), Duration.ofSeconds(30));
        RawConnection idle = connect();
        assertThat(idle.closedByPeer(Duration.ofSeconds(10))).isTrue();
        assertThat(server.timedOutConnections()).isZero();
    }

    @Test
    void meters_countOpenRefusedAndTimedOutConnections_perListener() {
        start(1, Duration.ofSeconds(30), Duration.ofMillis(300));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        server.bindMeters(registry);
        RawConnection kept = connect();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 1);
        assertThat(connect().closedByPeer(Duration.ofSeconds(10))).isTrue();
        assertThat(kept.closedByPeer(Duration.ofSeconds(10))).isTrue();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(registry.get("kinesis.bridge.listener.connections.refused")
                            .tag("listener", "test")
                            .functionCounter()
                            .count())
                    .isEqualTo(1);
            assertThat(registry.get("kinesis.bridge.listener.connections.timed.out")
                            .tag("listener", "test")
                            .functionCounter()
                            .count())
                    .isEqualTo(1);
            assertThat(registry.get("kinesis.bridge.listener.connections.open")
                            .tag("listener", "test")
                            .gauge()
                            .value())
                    .isZero();
        });
    }

    @Test
    void aTakenPort_isACannotListenException_namingTheAddressAndTheSetting() throws Exception {
        try (ServerSocket taken = new ServerSocket(FreePorts.tcp(), 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> GuardedHttpServer.listen(
                            vertx,
                            "test",
                            "Test listener",
                            new ListenAddress("127.0.0.1", port, "bridge.test.port"),
                            new ListenerLimits(1, Duration.ofSeconds(1), Duration.ofSeconds(1)),
                            new HttpServerOptions(),
                            GuardedHttpServerTest::ok))
                    .isInstanceOf(CannotListenException.class)
                    .hasMessage("cannot listen on 127.0.0.1:" + port + " (bridge.test.port): address already in use");
        }
    }
}
