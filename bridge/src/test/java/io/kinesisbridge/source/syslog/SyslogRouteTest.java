package io.kinesisbridge.source.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kinesisbridge.app.RunningBridge;
import io.kinesisbridge.testing.FreePorts;
import io.kinesisbridge.testing.Programs;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shipped syslog routes with real clients: util-linux logger and plain sockets. */
class SyslogRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    static RunningBridge bridge;
    static int port;

    @BeforeAll
    static void startBridge() throws Exception {
        port = FreePorts.tcpAndUdp();
        bridge = RunningBridge.start(
                dataDir,
                Map.of(
                        "bridge.syslog.enabled",
                        "true",
                        "bridge.syslog.port",
                        String.valueOf(port),
                        "bridge.syslog.max-message-bytes",
                        "1024"));
    }

    @AfterAll
    static void stopBridge() throws Exception {
        bridge.close();
    }

    private static List<JsonNode> recordsMatching(Predicate<JsonNode> p) {
        List<JsonNode> out = new ArrayList<>();
        for (String data : bridge.records("logs")) {
            try {
                JsonNode n = JSON.readTree(data);
                if (p.test(n)) {
                    out.add(n);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static List<JsonNode> withMessagePrefix(String prefix) {
        return recordsMatching(n -> n.path("message").asText().startsWith(prefix)
                || n.path("raw").asText().contains(prefix));
    }

    @ParameterizedTest(name = "logger {0} {1} {2}")
    @CsvSource({
        "--udp, --rfc5424, ''",
        "--udp, --rfc3164, ''",
        "--tcp, --rfc5424, ''",
        "--tcp, --rfc3164, ''",
        "--tcp, --rfc5424, --octet-count",
        "--tcp, --rfc3164, --octet-count"
    })
    void logger_everyTransportFramingAndFormat_arrivesOnceEach(String transport, String format, String framing)
            throws Exception {
        String logger = Programs.require("logger");
        String marker = "m" + transport + format + framing + "-";
        int count = 200;
        String lines = IntStream.range(0, count).mapToObj(i -> marker + i).collect(Collectors.joining("\n", "", "\n"));
        List<String> command = new ArrayList<>(List.of(
                logger,
                "--server",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                transport,
                format,
                "-t",
                "webapp",
                "--id=777",
                "-p",
                "local3.warning"));
        if (!framing.isEmpty()) {
            command.add(framing);
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream stdin = p.getOutputStream()) {
            stdin.write(lines.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as(new String(p.getInputStream().readAllBytes()))
                .isZero();

        // UDP on loopback does not lose datagrams at this rate; the bridge must not either
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(withMessagePrefix(marker)).hasSizeGreaterThanOrEqualTo(count));
        List<JsonNode> got = withMessagePrefix(marker);
        assertThat(got.stream().map(n -> n.get("message").asText()).toList())
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, count).mapToObj(i -> marker + i).toList());
        JsonNode first = got.get(0);
        assertThat(first.get("format").asText()).isEqualTo(format.substring(2));
        assertThat(first.get("facility").asText()).isEqualTo("local3");
        assertThat(first.get("severity").asText()).isEqualTo("warning");
        assertThat(first.get("app").asText()).isEqualTo("webapp");
        assertThat(first.get("procid").asText()).isEqualTo("777");
        assertThat(first.get("host").asText()).isNotBlank();
        assertThat(first.get("timestamp").asText()).isNotBlank();
        // keyed by host: every record of one host sits in one shard
        assertThat(bridge.streamRecords("logs").stream()
                        .filter(r -> new String(r.data(), StandardCharsets.UTF_8).contains(marker))
                        .map(r -> r.partitionKey())
                        .distinct()
                        .toList())
                .containsExactly(first.get("host").asText());
    }

    @Test
    void tcp_bothFramingsOnOnePort_lastUnterminatedMessageKept() throws Exception {
        try (Socket newline = new Socket(InetAddress.getLoopbackAddress(), port);
                Socket octets = new Socket(InetAddress.getLoopbackAddress(), port)) {
            newline.getOutputStream()
                    .write("<13>1 - nl-host app - - - nl-first\n<13>1 - nl-host app - - - nl-last"
                            .getBytes(StandardCharsets.UTF_8));
            String m = "<13>1 - oc-host app - - - oc-one\nwith a newline inside";
            byte[] mb = m.getBytes(StandardCharsets.UTF_8);
            octets.getOutputStream()
                    .write((mb.length + " " + m + "17 <13>1 - - - - - -").getBytes(StandardCharsets.UTF_8));
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> withMessagePrefix("nl-").size() == 2
                        && withMessagePrefix("oc-").size() == 1
                        && recordsMatching(n -> n.path("host").asText().equals("127.0.0.1")
                                                && n.path("format").asText().equals("rfc5424"))
                                        .size()
                                == 1);
        assertThat(withMessagePrefix("oc-").get(0).get("message").asText()).isEqualTo("oc-one\nwith a newline inside");
    }

    @Test
    void unparsableAndOversizedMessages_areForwardedFlagged() throws Exception {
        try (DatagramSocket udp = new DatagramSocket()) {
            byte[] junk = "not syslog at all: junk-udp".getBytes(StandardCharsets.UTF_8);
            udp.send(new DatagramPacket(junk, junk.length, InetAddress.getLoopbackAddress(), port));
            byte[] big = ("<13>1 - big-host app - - - big-" + "x".repeat(3000)).getBytes(StandardCharsets.UTF_8);
            udp.send(new DatagramPacket(big, big.length, InetAddress.getLoopbackAddress(), port));
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !withMessagePrefix("junk-udp").isEmpty()
                        && !withMessagePrefix("big-").isEmpty());
        JsonNode junk = withMessagePrefix("junk-udp").get(0);
        assertThat(junk.get("unparsed").asBoolean()).isTrue();
        assertThat(junk.get("raw").asText()).isEqualTo("not syslog at all: junk-udp");
        assertThat(junk.get("error").asText()).contains("<PRI>");
        assertThat(junk.get("host").asText()).isEqualTo("127.0.0.1");
        JsonNode big = withMessagePrefix("big-").get(0);
        assertThat(big.get("truncated").asBoolean()).isTrue();
        assertThat(big.get("sizeOnWire").asInt()).isEqualTo(3000 + "<13>1 - big-host app - - - big-".length());
        assertThat(big.get("host").asText()).isEqualTo("big-host");
        assertThat(big.get("message").asText()).hasSize(1024 - "<13>1 - big-host app - - - ".length());
    }
}
