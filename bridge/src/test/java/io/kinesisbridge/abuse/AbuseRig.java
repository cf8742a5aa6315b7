package io.kinesisbridge.abuse;

import static org.awaitility.Awaitility.await;

import io.kinesisbridge.deadletter.DeadLetterJson;
import io.kinesisbridge.testing.BridgeProcess;
import io.kinesisbridge.testing.EndpointReader;
import io.kinesisbridge.testing.FreePorts;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The bridge as an attacker, a full disk or a careless operator meets it: the jar in its own JVM with a 256 MiB heap,
 * the HTTP source, syslog (UDP and TCP) and the file inbox on, on free loopback ports. Before the probe it delivers
 * one record through each source; {@link #assertStillServing()} delivers three more afterwards. Every record the
 * bridge took is remembered, so that {@link #lost()} can say which of them are neither in their stream nor in a
 * dead-letter file.
 */
public final class AbuseRig implements AutoCloseable {

    public static final String HTTP_STREAM = "clickstream";
    public static final String LOGS_STREAM = "logs";
    static final Duration DELIVERY = Duration.ofSeconds(60);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final String name;
    private final BridgeProcess process;
    private final int httpPort;
    private final int syslogPort;
    private final Map<String, Set<String>> accepted = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private AbuseRig(String name, BridgeProcess process, int httpPort, int syslogPort) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
        this.syslogPort = syslogPort;
    }

    /** Starts the bridge ({@code overrides} on top of the rig's settings), waits until ready, delivers one record per source. */
    public static AbuseRig start(Path dir, String name, Map<String, String> overrides) {
        Map<String, String> settings = new LinkedHashMap<>(sourcesOn());
        settings.putAll(overrides);
        BridgeProcess process = BridgeProcess.start(dir, name, settings, jvmOptions());
        AbuseRig rig = new AbuseRig(
                name,
                process,
                Integer.parseInt(process.setting("bridge.http.port")),
                Integer.parseInt(process.setting("bridge.syslog.port")));
        try {
            process.awaitReady(Duration.ofSeconds(90));
            rig.deliverEverySource();
        } catch (RuntimeException | Error e) {
            rig.closeQuietly();
            throw e;
        }
        return rig;
    }

    /**
     * Runs a bridge that is expected to refuse to start (a taken port, a bad setting): its exit status and output,
     * or an empty status when it was still running after {@code atMost} (then it is killed).
     */
    public static Exit runToExit(Path dir, String name, Map<String, String> overrides, Duration atMost)
            throws InterruptedException {
        Map<String, String> settings = new LinkedHashMap<>(sourcesOn());
        settings.putAll(overrides);
        BridgeProcess process = BridgeProcess.start(dir, name, settings, jvmOptions());
        OptionalInt status = process.awaitExit(atMost);
        if (status.isEmpty()) {
            process.kill();
        }
        return new Exit(status, process.output());
    }

    /** How a bridge that should not have started ended. */
    public record Exit(OptionalInt status, String output) {
        /** The lines it printed that are not blank. */
        public List<String> lines() {
            return output.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private static Map<String, String> sourcesOn() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bridge.http.enabled", "true");
        settings.put("bridge.http.port", String.valueOf(FreePorts.tcp()));
        settings.put("bridge.syslog.enabled", "true");
        settings.put("bridge.syslog.port", String.valueOf(FreePorts.tcpAndUdp()));
        settings.put("bridge.file.enabled", "true");
        settings.put("bridge.shutdown-timeout-ms", "5000");
        return settings;
    }

    private static List<String> jvmOptions() {
        return List.of("-Xmx256m");
    }

    public BridgeProcess process() {
        return process;
    }

    public String name() {
        return name;
    }

    public int httpPort() {
        return httpPort;
    }

    public int syslogPort() {
        return syslogPort;
    }

    public int endpointPort() {
        return Integer.parseInt(process.setting("bridge.endpoint.port"));
    }

    public int managementPort() {
        return Integer.parseInt(process.setting("bridge.management.port"));
    }

    public Path home() {
        return process.home();
    }

    public Path inbox() {
        return Path.of(process.setting("bridge.file.inbox"));
    }

    public Path deadLetterDir() {
        return Path.of(process.setting("bridge.dead-letter.dir"));
    }

    /** A marker no other record carries, to find a record again. */
    public String marker() {
        return "abuse-" + name + "-" + SEQUENCE.incrementAndGet() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Remembers that the bridge took a record holding {@code marker} for {@code stream}: it must not be lost. */
    public void accepted(String stream, String marker) {
        accepted.computeIfAbsent(stream, s -> new LinkedHashSet<>()).add(marker);
    }

    /** Sends one HTTP event, one syslog line over TCP and one over UDP, one inbox file; waits until each is in its stream. */
    public void assertStillServing() {
        deliverEverySource();
    }

    private void deliverEverySource() {
        List<String> logs = new ArrayList<>();
        String event = marker();
        postEvent(event);
        String tcp = marker();
        sendSyslogTcp(tcp);
        logs.add(tcp);
        String udp = marker();
        sendSyslogUdp(udp);
        logs.add(udp);
        String file = marker();
        dropInboxFile(file);
        logs.add(file);
        awaitInStream(HTTP_STREAM, List.of(event));
        awaitInStream(LOGS_STREAM, logs);
    }

    /** POSTs {"userId":"abuse","id":marker}; the bridge must answer 200 with the record acknowledged. */
    public void postEvent(String marker) {
        String body = "{\"userId\":\"abuse\",\"id\":\"" + marker + "\"}";
        HttpResponse<String> answer = post(body);
        if (answer.statusCode() != 200 || !answer.body().contains("\"FailedRecordCount\":0")) {
            throw new AssertionError("HTTP event not acknowledged: " + answer.statusCode() + " " + answer.body());
        }
        accepted(HTTP_STREAM, marker);
    }

    private HttpResponse<String> post(String body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + httpPort + "/clickstream"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json");
            String token = process.setting("bridge.http.token");
            if (token != null && !token.isBlank()) {
                // a probe that turns the token on still delivers its own events with it
                request.header("Authorization", "Bearer " + token);
            }
            return http.send(
                    request.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] syslogLine(String marker) {
        return ("<14>1 2026-12-03T10:00:00.000Z abuse-host abuse 42 - - " + marker + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    public void sendSyslogTcp(String marker) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), syslogPort)) {
            OutputStream out = socket.getOutputStream();
            out.write(syslogLine(marker));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        accepted(LOGS_STREAM, marker);
    }

    public void sendSyslogUdp(String marker) {
        byte[] line = syslogLine(marker);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.send(new DatagramPacket(line, line.length, InetAddress.getLoopbackAddress(), syslogPort));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        accepted(LOGS_STREAM, marker);
    }

    /** Writes a one-line file beside the inbox and moves it in whole. */
    public void dropInboxFile(String marker) {
        try {
            Path staging = home().resolve("staging");
            Files.createDirectories(staging);
            Files.createDirectories(inbox());
            Path file = staging.resolve(marker + ".log");
            Files.writeString(file, marker + "\n");
            Files.move(file, inbox().resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        accepted(LOGS_STREAM, marker);
    }

    /** Waits until every marker is in a record of the stream. */
    public void awaitInStream(String stream, List<String> markers) {
        EndpointReader reader = new EndpointReader(endpointPort());
        await().atMost(DELIVERY)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError(name + " exited: " + process.tail());
                    }
                    List<String> data = reader.readAll(stream).stream()
                            .map(EndpointReader.Read::data)
                            .toList();
                    List<String> missing = markers.stream()
                            .filter(m -> data.stream().noneMatch(d -> d.contains(m)))
                            .toList();
                    if (!missing.isEmpty()) {
                        throw new AssertionError("not in stream " + stream + ": " + missing);
                    }
                });
    }

    /** The records the bridge took that are neither in their stream nor in a dead-letter file. */
    public List<String> lost() {
        EndpointReader reader = new EndpointReader(endpointPort());
        String deadLetters = deadLetterData();
        List<String> lost = new ArrayList<>();
        accepted.forEach((stream, markers) -> {
            List<String> data = reader.readAll(stream).stream()
                    .map(EndpointReader.Read::data)
                    .toList();
            for (String m : markers) {
                if (data.stream().noneMatch(d -> d.contains(m)) && !deadLetters.contains(m)) {
                    lost.add(stream + ":" + m);
                }
            }
        });
        return lost;
    }

    /** The decoded data of every dead-letter record under the dead-letter directory, one after the other. */
    private String deadLetterData() {
        StringBuilder all = new StringBuilder();
        if (!Files.isDirectory(deadLetterDir())) {
            return "";
        }
        try (Stream<Path> files = Files.walk(deadLetterDir())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    try {
                        all.append(new String(
                                        DeadLetterJson.read(line).request().data(), StandardCharsets.UTF_8))
                                .append('\n');
                    } catch (RuntimeException e) {
                        // not a dead letter (a partial line of a full disk): nothing to count
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all.toString();
    }

    private void closeQuietly() {
        try {
            process.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
