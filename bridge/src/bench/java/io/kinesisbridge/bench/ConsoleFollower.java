package io.kinesisbridge.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Does what the console page does with follow mode on, without a browser (whose own CPU would blur the figure): one
 * event stream; on each overview event the latest records of the followed stream; the routes every 5 s.
 * Turned on for a bench run with {@code -Dbench.extra=bench.console-follow=<stream>}.
 */
final class ConsoleFollower implements AutoCloseable {

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String api;
    private final String stream;
    private final Thread thread;
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong recordReads = new AtomicLong();
    private volatile InputStream body;
    private volatile boolean closed;

    private ConsoleFollower(int managementPort, String stream) {
        this.api = "http://127.0.0.1:" + managementPort + "/console/api/";
        this.stream = stream;
        this.thread = new Thread(this::follow, "console-follower");
        this.thread.setDaemon(true);
    }

    /** A follower when {@code bench.console-follow} names a stream, otherwise null. */
    static ConsoleFollower startIfAsked(int managementPort) {
        String stream = System.getProperty("bench.console-follow", "");
        if (stream.isEmpty()) {
            return null;
        }
        ConsoleFollower follower = new ConsoleFollower(managementPort, stream);
        follower.thread.start();
        return follower;
    }

    private void follow() {
        long lastRoutes = 0;
        while (!closed) {
            try {
                HttpResponse<InputStream> answer = http.send(
                        HttpRequest.newBuilder(URI.create(api + "events")).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                body = answer.body();
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                    String line;
                    while (!closed && (line = lines.readLine()) != null) {
                        if (!line.startsWith("data:")) {
                            continue;
                        }
                        events.incrementAndGet();
                        get("records?stream=" + stream);
                        recordReads.incrementAndGet();
                        if (System.nanoTime() - lastRoutes
                                > Duration.ofSeconds(5).toNanos()) {
                            get("routes");
                            lastRoutes = System.nanoTime();
                        }
                    }
                }
            } catch (IOException e) {
                sleepQuietly();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void get(String path) throws IOException, InterruptedException {
        http.send(
                HttpRequest.newBuilder(URI.create(api + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long events() {
        return events.get();
    }

    long recordReads() {
        return recordReads.get();
    }

    @Override
    public void close() {
        closed = true;
        InputStream open = body;
        if (open != null) {
            try {
                open.close();
            } catch (IOException ignored) {
                // the stream is being abandoned either way
            }
        }
        thread.interrupt();
    }
}
