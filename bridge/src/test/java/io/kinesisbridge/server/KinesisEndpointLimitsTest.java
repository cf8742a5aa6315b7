package io.kinesisbridge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;

/** The endpoint's limits, with real sockets: announced bodies, slow and idle clients, too many connections, the body budget. */
class KinesisEndpointLimitsTest {

    private static final int MIB = 1_048_576;
    private static final String JSON = "application/x-amz-json-1.1";

    private final List<Socket> sockets = new ArrayList<>();
    private RunningEndpoint server;

    @AfterEach
    void closeAll() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static EndpointSettings limits(
            long bodyBytes, int connections, Duration idle, Duration head, Duration body) {
        return EndpointSettings.of("127.0.0.1", 0).withLimits(bodyBytes, connections, idle, head, body);
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
        sockets.add(s);
        return s;
    }

    private static String head(String target, long contentLength) {
        return "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + JSON + "\r\nX-Amz-Target: Kinesis_20131202."
                + target + "\r\nContent-Length: " + contentLength + "\r\n\r\n";
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    private static void sendBytes(Socket s, int count) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        for (int left = count; left > 0; left -= chunk.length) {
            s.getOutputStream().write(chunk, 0, Math.min(left, chunk.length));
        }
        s.getOutputStream().flush();
    }

    /** Whether the peer closed the connection: a read sees the end of the stream or a reset. */
    private static boolean closedByPeer(Socket s) {
        try {
            s.setSoTimeout(20);
            InputStream in = s.getInputStream();
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    record Response(int status, Map<String, String> headers, byte[] body) {}

    private static Response readResponse(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before a response: " + head);
            }
            head.write(b);
        }
        String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(
                    lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void headerOnlyRequests_announcing16MiBEach_takeNoHeap() throws Exception {
        server = RunningEndpoint.start();
        long before = usedHeapAfterGc();
        for (int i = 0; i < 8; i++) {
            send(connect(), head("PutRecords", 16L * MIB));
        }
        // 8 x 16 MiB would be reserved if the announced length were allocated up front
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> usedHeapAfterGc() - before < 32L * MIB);
    }

    @Test
    void headerOnlyRequests_holdNoBodyBytes_andAreClosedAfterTheRequestTimeout() throws Exception {
        server = RunningEndpoint.start(
                limits(32L * MIB, 100, Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofMillis(500)));
        List<Socket> waiting = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Socket s = connect();
            send(s, head("PutRecords", 16L * MIB));
            waiting.add(s);
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> server.endpoint.connectionStats().open() == 20);
        assertThat(server.endpoint.bodyBytesInFlight()).isZero();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> waiting.stream().allMatch(KinesisEndpointLimitsTest::closedByPeer));
        assertThat(server.endpoint.connectionStats().timedOutBy(EndpointConnections.REQUEST_TIMEOUT))
                .isEqualTo(20);
        // the count drops once the server has seen each close through, which may come after the client saw it
        await().atMost(Duration.ofSeconds(5))
                .until(() -> server.endpoint.connectionStats().open() == 0);
    }

    @Test
    void aRequestHeadSentByteByByte_isClosedAfterTheHeaderTimeout() throws Exception {
        server = RunningEndpoint.start(
                limits(32L * MIB, 100, Duration.ofSeconds(60), Duration.ofMillis(500), Duration.ofSeconds(60)));
        Socket slow = connect();
        send(slow, "POST / HTTP/1.1\r\nX-Slow: ");
        // a byte every poll keeps the connection busy for ever unless the head has a deadline
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    try {
                        send(slow, "a");
                    } catch (IOException e) {
                        return true;
                    }
                    return closedByPeer(slow);
                });
        assertThat(server.endpoint.connectionStats().timedOutBy(EndpointConnections.HEADER_TIMEOUT))
                .isEqualTo(1);
    }

    @Test
    void idleConnections_areClosedAfterTheIdleTimeout_alsoAfterAnsweredRequests() throws Exception {
        server = RunningEndpoint.start(
                limits(32L * MIB, 100, Duration.ofMillis(500), Duration.ofSeconds(60), Duration.ofSeconds(60)));
        Socket silent = connect();
        Socket kept = connect();
        send(kept, head("ListStreams", 2) + "{}");
        assertThat(readResponse(kept).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> closedByPeer(silent) && closedByPeer(kept));
        assertThat(server.endpoint.connectionStats().timedOutBy(EndpointConnections.IDLE))
                .isEqualTo(2);
    }

    @Test
    void connectionsOverTheMaximum_areClosedAtOnce_andCounted_untilOneLeaves() throws Exception {
        server = RunningEndpoint.start(
                limits(32L * MIB, 3, Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(60)));
        List<Socket> first = List.of(connect(), connect(), connect());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> server.endpoint.connectionStats().open() == 3);
        Socket fourth = connect();
        await().atMost(Duration.ofSeconds(5)).until(() -> closedByPeer(fourth));
        assertThat(server.endpoint.connectionStats().refused()).isEqualTo(1);
        // the first three still work
        send(first.get(0), head("ListStreams", 2) + "{}");
        assertThat(readResponse(first.get(0)).status()).isEqualTo(200);

        first.get(1).close();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> server.endpoint.connectionStats().open() == 2);
        Socket next = connect();
        send(next, head("ListStreams", 2) + "{}");
        assertThat(readResponse(next).status()).isEqualTo(200);
    }

    @Test
    void aBodyThatDoesNotFitTheBudget_is503ServiceUnavailable_andTheSdkRetriesItUntilItFits() throws Exception {
        server = RunningEndpoint.start(
                limits(MIB, 100, Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(60)));
        server.store.createStream("budget", 1);
        // one client holds most of the budget with a body it has not finished sending
        Socket holder = connect();
        send(holder, head("PutRecords", 800 * 1024));
        sendBytes(holder, 700 * 1024);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.endpoint.bodyBytesInFlight() == 800 * 1024);

        Socket other = connect();
        send(other, head("PutRecords", 300 * 1024));
        sendBytes(other, 300 * 1024);
        Response refused = readResponse(other);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.headers().get("x-amzn-errortype")).isEqualTo("ServiceUnavailable");
        JsonNode error = new ObjectMapper().readTree(refused.body());
        assertThat(error.get("__type").asText()).isEqualTo("ServiceUnavailable");
        await().atMost(Duration.ofSeconds(5)).until(() -> closedByPeer(other));

        try (KinesisAsyncClient sdk = retryingClient(server.url())) {
            CompletableFuture<PutRecordResponse> put = sdk.putRecord(
                    b -> b.streamName("budget").partitionKey("k").data(SdkBytes.fromByteArray(new byte[300_000])));
            await().atMost(Duration.ofSeconds(10)).until(() -> server.endpoint.requestsOverBudget() >= 2);
            sendBytes(holder, 100 * 1024); // the holder finishes: its bytes go back to the budget
            assertThat(readResponse(holder).status()).isEqualTo(400);
            assertThat(put.get(30, TimeUnit.SECONDS).shardId()).isEqualTo("shardId-000000000000");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.endpoint.bodyBytesInFlight() == 0);
    }

    @Test
    void aConnectionClosedInTheMiddleOfItsBody_givesItsBytesBack() throws Exception {
        server = RunningEndpoint.start(
                limits(32L * MIB, 100, Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(60)));
        Socket s = connect();
        send(s, head("PutRecords", 4 * MIB));
        sendBytes(s, 3 * MIB);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.endpoint.bodyBytesInFlight() > 0);
        s.close();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> server.endpoint.bodyBytesInFlight() == 0
                        && server.endpoint.connectionStats().open() == 0);
    }

    @Test
    void aBodyAnnouncedOverTheLimit_is413_beforeItsBytesArrive() throws Exception {
        server = RunningEndpoint.start(
                limits(MIB, 100, Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(60)));
        Socket s = connect();
        send(s, head("PutRecords", MIB + 1));
        assertThat(readResponse(s).status()).isEqualTo(413);
        assertThat(server.endpoint.requestsTooLarge()).isEqualTo(1);
        assertThat(server.endpoint.bodyBytesInFlight()).isZero();
    }

    /** The SDK as applications use it: the standard retry strategy (more attempts, so that the test does not race it). */
    private static KinesisAsyncClient retryingClient(String url) {
        return KinesisAsyncClient.builder()
                .endpointOverride(URI.create(url))
                .region(Region.US_EAST_1)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "secret")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(50)
                        .build()))
                .build();
    }
}
