package io.kinesisbridge.bench;

import java.io.IOException;
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

/**
 * The bridge as shipped ({@code java -jar target/kinesis-bridge.jar} with the repository's config and routes) in a
 * process of its own, every port free and on loopback, its data in a directory of its own.
 */
final class Bridge implements AutoCloseable {

    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final Child child;
    final int httpPort;
    final int managementPort;
    private ConsoleFollower follower;
    final Path dataDir;

    private Bridge(Child child, int httpPort, int managementPort, Path dataDir) {
        this.child = child;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.dataDir = dataDir;
    }

    /**
     * Starts the jar (not waiting for it). {@code settings} are bridge.* flags on top of the shipped configuration;
     * the ports, the inbox, the dead-letter directory and the tail checkpoint are the benchmark's.
     */
    static Bridge start(Suite suite, String name, List<String> jvmArgs, Map<String, String> settings)
            throws IOException {
        List<String> java = new ArrayList<>();
        java.add(Child.javaBinary());
        java.addAll(jvmArgs);
        java.add("-jar");
        java.add(suite.jar.toString());
        return launch(suite, name, java, settings);
    }

    /** Starts it through the shipped launcher, {@code bin/kinesis-bridge} (the jar with its class-data archive). */
    static Bridge startWithLauncher(Suite suite, String name) throws IOException {
        return launch(
                suite, name, List.of(suite.repo.resolve("bin/kinesis-bridge").toString()), Map.of());
    }

    private static Bridge launch(Suite suite, String name, List<String> launch, Map<String, String> settings)
            throws IOException {
        int http = freePort();
        int management = freePort();
        Path dir = suite.work.resolve(name);
        List<String> cmd = new ArrayList<>(launch);
        cmd.add("--config=" + suite.repo.resolve("config/application.properties"));
        cmd.add("--routes=" + suite.repo.resolve("routes"));
        cmd.add("--bridge.http.port=" + http);
        cmd.add("--bridge.management.port=" + management);
        cmd.add("--bridge.endpoint.port="
                + freePort()); // not 0: its ephemeral bind could take a port chosen above and not yet bound
        cmd.add("--bridge.syslog.port=" + freePort());
        cmd.add("--bridge.file.inbox=" + dir.resolve("inbox"));
        cmd.add("--bridge.dead-letter.dir=" + dir.resolve("dead-letter"));
        cmd.add("--bridge.file.checkpoint-file=" + dir.resolve("checkpoints.json"));
        settings.forEach((k, v) -> cmd.add("--" + k + "=" + v));
        Child child = Child.start(name, cmd, dir, suite.logs);
        return new Bridge(child, http, management, dir);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    Path inbox() {
        return dataDir.resolve("inbox");
    }

    String clickstreamUrl() {
        return "http://127.0.0.1:" + httpPort + "/clickstream";
    }

    /** Waits until readiness answers 200; returns the seconds since the process was started. */
    double awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + managementPort + "/observe/health/ready"))
                .timeout(Duration.ofSeconds(2))
                .build();
        while (System.nanoTime() < deadline) {
            if (!child.alive()) {
                throw new IllegalStateException(child + " exited; see " + child.log());
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    double seconds = (System.nanoTime() - child.startNanos()) / 1e9;
                    if (follower == null) {
                        follower = ConsoleFollower.startIfAsked(managementPort);
                    }
                    return seconds;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException(child + " not ready within " + timeout + "; see " + child.log());
    }

    /**
     * Polls readiness and the HTTP route together until both answered 200: {seconds to ready, seconds to the
     * HTTP route's first 200}, each since the process was started.
     */
    double[] awaitStartup(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + managementPort + "/observe/health/ready"))
                .timeout(Duration.ofSeconds(2))
                .build();
        HttpRequest post = HttpRequest.newBuilder(URI.create(clickstreamUrl()))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"start\",\"page\":\"/\"}"))
                .build();
        double readyAt = -1;
        double httpAt = -1;
        while (System.nanoTime() < deadline) {
            if (!child.alive()) {
                throw new IllegalStateException(child + " exited; see " + child.log());
            }
            if (readyAt < 0 && answers(ready)) {
                readyAt = (System.nanoTime() - child.startNanos()) / 1e9;
            }
            if (httpAt < 0 && answers(post)) {
                httpAt = (System.nanoTime() - child.startNanos()) / 1e9;
            }
            if (readyAt >= 0 && httpAt >= 0) {
                return new double[] {readyAt, httpAt};
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(child + " not ready within " + timeout + "; see " + child.log());
    }

    private static boolean answers(HttpRequest request) throws InterruptedException {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until the HTTP route answers a POST with 200; returns the seconds since the process was started. */
    double awaitHttpAnswer(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest post = HttpRequest.newBuilder(URI.create(clickstreamUrl()))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"start\",\"page\":\"/\"}"))
                .build();
        while (System.nanoTime() < deadline) {
            if (!child.alive()) {
                throw new IllegalStateException(child + " exited; see " + child.log());
            }
            try {
                if (HTTP.send(post, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return (System.nanoTime() - child.startNanos()) / 1e9;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException(
                child + ": HTTP route not answering within " + timeout + "; see " + child.log());
    }

    /** The value of a Prometheus sample of /observe/metrics whose name and labels match, summed; 0 when absent. */
    double metric(String name, String stream) throws IOException, InterruptedException {
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/observe/metrics"))
                .timeout(Duration.ofSeconds(5))
                .build();
        String text = HTTP.send(get, HttpResponse.BodyHandlers.ofString()).body();
        return Prometheus.sum(text, name, stream);
    }

    double acknowledged(String stream) throws IOException, InterruptedException {
        return metric("kinesis_bridge_records_acknowledged_total", stream);
    }

    double deadLettered(String stream) throws IOException, InterruptedException {
        return metric("kinesis_bridge_records_dead_lettered_total", stream);
    }

    @Override
    public void close() {
        if (follower != null) {
            BenchSuite.log(
                    "   console followed: %d events, %d record reads", follower.events(), follower.recordReads());
            follower.close();
        }
        child.stop();
    }

    static final class Prometheus {
        private Prometheus() {}

        static double sum(String text, String name, String stream) {
            double sum = 0;
            String label = "stream=\"" + stream + "\"";
            for (String line : text.split("\n")) {
                if (line.startsWith(name)
                        && (line.length() == name.length()
                                || line.charAt(name.length()) == '{'
                                || line.charAt(name.length()) == ' ')
                        && line.contains(label)) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        }
    }
}
