package io.kinesisbridge.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The console's page, APIs and event stream over a real socket, with an optional Authorization or Cookie header. */
final class ConsoleClient {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(20);

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final int port;
    private final Optional<String[]> header;

    ConsoleClient(int port) {
        this(port, Optional.empty());
    }

    private ConsoleClient(int port, Optional<String[]> header) {
        this.port = port;
        this.header = header;
    }

    /** This client, sending {@code name: value} with every request. */
    ConsoleClient with(String name, String value) {
        return new ConsoleClient(port, Optional.of(new String[] {name, value}));
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(WAIT);
        header.ifPresent(h -> b.header(h[0], h[1]));
        return b;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    HttpResponse<String> postJson(String path, Object body) throws IOException, InterruptedException {
        return client.send(
                request(path)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Opens the event stream; the caller closes the lines' stream, which closes the connection. */
    HttpResponse<Stream<String>> events() throws IOException, InterruptedException {
        return client.send(request("/console/api/events").build(), HttpResponse.BodyHandlers.ofLines());
    }

    /**
     * The first overview of the event stream that {@code until} accepts, read on a thread of its own so that a stream
     * that never shows it fails the test after {@link #WAIT} instead of hanging it.
     */
    JsonNode awaitOverview(Predicate<JsonNode> until) throws Exception {
        HttpResponse<Stream<String>> response = events();
        if (response.statusCode() != 200) {
            throw new AssertionError("the event stream answered " + response.statusCode());
        }
        try (Stream<String> lines = response.body()) {
            CompletableFuture<JsonNode> seen =
                    CompletableFuture.supplyAsync(() -> lines.filter(l -> l.startsWith("data: "))
                            .map(l -> {
                                try {
                                    return JSON.readTree(l.substring("data: ".length()));
                                } catch (IOException e) {
                                    throw new IllegalStateException(e);
                                }
                            })
                            .filter(until)
                            .findFirst()
                            .orElseThrow());
            return seen.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    static JsonNode stream(JsonNode overview, String name) {
        for (JsonNode s : overview.path("streams")) {
            if (s.path("name").asText().equals(name)) {
                return s;
            }
        }
        return JSON.missingNode();
    }
}
