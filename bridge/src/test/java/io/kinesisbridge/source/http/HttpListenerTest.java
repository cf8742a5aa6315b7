package io.kinesisbridge.source.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.kinesisbridge.app.RunningBridge;
import io.kinesisbridge.net.CannotListenException;
import io.kinesisbridge.net.ListenAddress;
import io.kinesisbridge.net.ListenerLimits;
import io.kinesisbridge.testing.FreePorts;
import io.kinesisbridge.testing.RawConnection;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The HTTP source's listener with the shipped route, over raw sockets: the token checked before the body, body bytes
 * bounded over all connections, the connection cap and request timeout from their settings, hung-up clients
 * counted instead of logged one by one, a taken port.
 */
class HttpListenerTest {

    private static final String TOKEN = "listener-token-1";
    private static final String AUTH = "Authorization: Bearer " + TOKEN;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    static RunningBridge bridge;
    static int port;
    private final List<RawConnection> connections = new ArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        port = FreePorts.tcp();
        bridge = RunningBridge.start(
                dir,
                Map.of(
                        "bridge.http.enabled",
                        "true",
                        "bridge.http.port",
                        String.valueOf(port),
                        "bridge.http.token",
                        TOKEN,
                        "bridge.http.max-body-bytes",
                        "90000",
                        "bridge.http.max-body-bytes-in-flight",
                        "100000",
                        "bridge.http.max-connections",
                        "4",
                        "bridge.http.request-timeout-ms",
                        "1000"));
    }

    @AfterAll
    static void stop() throws Exception {
        bridge.close();
    }

    @BeforeEach
    void watchLogs() {
        logs.start();
        root().addAppender(logs);
    }

    @AfterEach
    void closeConnections() {
        root().detachAppender(logs);
        connections.forEach(RawConnection::close);
        await().atMost(WAIT).until(() -> listener().openConnections() == 0);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private static HttpListener listener() {
        return bridge.context().getRegistry().lookupByNameAndType("httpListener", HttpListener.class);
    }

    private RawConnection connect(int toPort) {
        RawConnection c = RawConnection.open(toPort);
        connections.add(c);
        return c;
    }

    private List<String> errorsLogged() {
        return logs.list.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void unauthenticatedRequest_isAnswered401_beforeASingleByteOfItsBodyIsSent() {
        RawConnection c = connect(port);
        c.send(RawConnection.postHeaders("/clickstream", 5_000_000));
        RawConnection.Answer answer = c.read(WAIT);
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.headers()).containsEntry("www-authenticate", "Bearer");
        assertThat(answer.body()).contains("\"ErrorCode\":\"Unauthorized\"");
        assertThat(listener().bodyBytesInFlight()).isZero();
    }

    @Test
    void after401_theConnectionTakesTheNextRequest() {
        RawConnection c = connect(port);
        c.send(RawConnection.post("/clickstream", "{\"userId\":\"no-token\"}", "Authorization: Bearer wrong"));
        assertThat(c.read(WAIT).status()).isEqualTo(401);
        c.send(RawConnection.post("/clickstream", "{\"userId\":\"after-401\"}", AUTH));
        assertThat(c.read(WAIT).status()).isEqualTo(200);
        assertThat(bridge.records("clickstream"))
                .contains("{\"userId\":\"after-401\"}")
                .doesNotContain("{\"userId\":\"no-token\"}");
    }

    @Test
    void bodiesPastTheBytesInFlightOfAllConnections_get503WithRetryAfter_andTheBytesAreGivenBackAfterwards() {
        String event = "{\"userId\":\"held\",\"pad\":\"" + "x".repeat(80_000) + "\"}";
        RawConnection holding = connect(port);
        holding.send(RawConnection.postHeaders("/clickstream", event.length(), AUTH));
        holding.send(event.substring(0, 70_000));
        await().atMost(WAIT).until(() -> listener().bodyBytesInFlight() == 70_000);

        RawConnection announced = connect(port);
        announced.send(RawConnection.postHeaders("/clickstream", 50_000, AUTH));
        RawConnection.Answer refused = announced.read(WAIT);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.headers()).containsEntry("retry-after", "1");
        assertThat(refused.body())
                .contains("\"ErrorCode\":\"BridgeSaturated\"", "bridge.http.max-body-bytes-in-flight");

        RawConnection chunked = connect(port);
        chunked.send(RawConnection.postHeaders("/clickstream", -1, AUTH, "Transfer-Encoding: chunked"));
        chunked.send(Integer.toHexString(40_000) + "\r\n" + "y".repeat(40_000) + "\r\n");
        assertThat(chunked.read(WAIT).status()).isEqualTo(503);

        holding.send(event.substring(70_000));
        RawConnection.Answer taken = holding.read(WAIT);
        assertThat(taken.status()).isEqualTo(200);
        assertThat(taken.body()).contains("\"FailedRecordCount\":0");
        await().atMost(WAIT).until(() -> listener().bodyBytesInFlight() == 0);
    }

    @Test
    void aBodyAnnouncedOverTheLimit_gets413_beforeItIsSent() {
        RawConnection c = connect(port);
        c.send(RawConnection.postHeaders("/clickstream", 90_001, AUTH));
        RawConnection.Answer answer = c.read(WAIT);
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.body()).contains("PayloadTooLarge", "bridge.http.max-body-bytes");
    }

    @Test
    void connectionsOverBridgeHttpMaxConnections_areClosedAtOnce_whileTheOthersAreServed() {
        for (int i = 0; i < 4; i++) {
            connect(port);
        }
        await().atMost(WAIT).until(() -> listener().openConnections() == 4);
        assertThat(connect(port).closedByPeer(WAIT)).isTrue();
        RawConnection first = connections.get(0);
        first.send(RawConnection.post("/clickstream", "{\"userId\":\"within-the-cap\"}", AUTH));
        assertThat(first.read(WAIT).status()).isEqualTo(200);
    }

    @Test
    void slowlorisHeaders_areClosedAfterBridgeHttpRequestTimeout() {
        RawConnection slow = connect(port);
        slow.send("POST /clickstream HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        slow.awaitClosedByPeer(WAIT, "X");
    }

    @Test
    void clientsThatHangUpMidBody_areCounted_andSummedUpInOneLine_notAnErrorEach() {
        long before = listener().abortedRequests();
        for (int i = 1; i <= 50; i++) {
            try (RawConnection c = RawConnection.open(port)) {
                c.send(RawConnection.postHeaders("/clickstream", 1000, AUTH) + "{\"userId\":");
            }
            long expected = before + i;
            await().atMost(WAIT).until(() -> listener().abortedRequests() == expected);
        }
        assertThat(errorsLogged()).isEmpty();
        List<String> lines = logs.list.stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("aborted"))
                .toList();
        assertThat(lines).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void aClientThatHangsUpWhileItsEventsAreSent_isCountedAsAborted_notLoggedAsAnError() throws Exception {
        int p = FreePorts.tcp();
        try (RunningBridge slow = RunningBridge.start(
                dir.resolve("slow"),
                Map.of(
                        "bridge.http.enabled",
                        "true",
                        "bridge.http.port",
                        String.valueOf(p),
                        "bridge.memory.shard-limits",
                        "true",
                        "bridge.memory.records-per-second",
                        "2",
                        "bridge.retry.max-attempts",
                        "1000",
                        "bridge.retry.max-delay-ms",
                        "200"))) {
            HttpListener listener =
                    slow.context().getRegistry().lookupByNameAndType("httpListener", HttpListener.class);
            String events = IntStream.range(0, 6)
                    .mapToObj(i -> "{\"userId\":\"same\",\"i\":" + i + "}")
                    .collect(Collectors.joining(",", "[", "]"));
            try (RawConnection c = RawConnection.open(p)) {
                c.send(RawConnection.post("/clickstream", events));
                await().atMost(WAIT)
                        .until(() -> slow.records("clickstream").stream().anyMatch(d -> d.contains("same")));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> listener.abortedRequests() == 1);
            await().atMost(WAIT).until(() -> slow.records("clickstream").size() == 6);
        }
        assertThat(errorsLogged()).isEmpty();
    }

    @Test
    void beforeTheRoutesStart_requestsGet503WithRetryAfter_andAPathNoRouteServesGets404Once_started() throws Exception {
        Vertx vertx = Vertx.vertx();
        CamelContext context = new DefaultCamelContext();
        try {
            int p = FreePorts.tcp();
            HttpListener early = HttpListener.listen(
                    vertx,
                    new HttpListenerSettings(
                            new ListenAddress("127.0.0.1", p, "bridge.http.port"),
                            new ListenerLimits(4, Duration.ofSeconds(30), Duration.ofSeconds(30)),
                            1000,
                            1000,
                            Optional.empty(),
                            Optional.empty(),
                            503,
                            1),
                    context,
                    Optional::empty);
            try (RawConnection c = RawConnection.open(p)) {
                c.send(RawConnection.post("/clickstream", "{}"));
                RawConnection.Answer starting = c.read(WAIT);
                assertThat(starting.status()).isEqualTo(503);
                assertThat(starting.headers()).containsEntry("retry-after", "1");
                context.start();
                c.send(RawConnection.post("/elsewhere", "{}"));
                assertThat(c.read(WAIT).status()).isEqualTo(404);
            } finally {
                early.stop();
            }
        } finally {
            context.stop();
            vertx.close();
        }
    }

    @Test
    void aTakenPort_stopsTheStart_withTheAddressAndTheSetting() throws Exception {
        try (ServerSocket taken = new ServerSocket(FreePorts.tcp(), 1, InetAddress.getLoopbackAddress())) {
            int p = taken.getLocalPort();
            assertThatThrownBy(() -> RunningBridge.start(
                            dir.resolve("taken"),
                            Map.of("bridge.http.enabled", "true", "bridge.http.port", String.valueOf(p))))
                    .satisfies(e -> assertThat(CannotListenException.in(e))
                            .isNotNull()
                            .hasMessage(
                                    "cannot listen on 127.0.0.1:" + p + " (bridge.http.port): address already in use"));
        }
    }
}
