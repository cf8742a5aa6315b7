package io.kinesisbridge.app;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A small HTTP server of its own for health and metrics, apart from the sources' HTTP server so that probes work
 * whichever sources run: {@code /observe/health} (every check), {@code /observe/health/live},
 * {@code /observe/health/ready} (200 when every check is UP, 503 otherwise) and {@code /observe/metrics}
 * (Prometheus text, when a scrape source is set).
 */
public final class ManagementServer extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final CamelContext context;
    private final String host;
    private final int port;
    private volatile Supplier<String> metrics;
    private HttpServer server;
    private ExecutorService executor;

    public ManagementServer(CamelContext context, String host, int port) {
        this.context = context;
        this.host = host;
        this.port = port;
    }

    /** Where /observe/metrics gets its Prometheus text from. */
    public void setMetrics(Supplier<String> metrics) {
        this.metrics = metrics;
    }

    public int port() {
        return server == null ? port : server.getAddress().getPort();
    }

    @Override
    protected void doStart() throws IOException {
        if (metrics == null) {
            // Camel's Micrometer support (camel.metrics.enabled) binds a Prometheus registry when it is on the class path
            context.getRegistry().findByType(io.micrometer.prometheusmetrics.PrometheusMeterRegistry.class).stream()
                    .findFirst().ifPresent(registry -> metrics = registry::scrape);
        }
        server = HttpServer.create(new InetSocketAddress(host, port), 16);
        executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "management-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/observe/health", this::health);
        server.createContext("/observe/metrics", this::metrics);
        server.start();
        LOG.info("Management server on http://{}:{}/observe/health (live, ready) and /observe/metrics", host, port());
    }

    @Override
    protected void doStop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    private void health(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Collection<HealthCheck.Result> results;
        switch (path) {
            case "/observe/health", "/observe/health/" -> results = HealthCheckHelper.invoke(context);
            case "/observe/health/live" -> results = HealthCheckHelper.invokeLiveness(context);
            case "/observe/health/ready" -> results = HealthCheckHelper.invokeReadiness(context);
            default -> {
                send(exchange, 404, "text/plain", "no such path\n".getBytes());
                return;
            }
        }
        boolean up = HealthCheckHelper.isResultsUp(results, path.endsWith("/ready"));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(body)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("status", up ? "UP" : "DOWN");
            g.writeArrayFieldStart("checks");
            for (HealthCheck.Result r : results) {
                g.writeStartObject();
                g.writeStringField("name", r.getCheck().getId());
                g.writeStringField("status", r.getState().name());
                if (r.getMessage().isPresent()) {
                    g.writeStringField("message", r.getMessage().get());
                }
                Map<String, Object> details = new TreeMap<>();
                r.getDetails().forEach((k, v) -> {
                    if (!HealthCheckHelper.isReservedKey(k)) {
                        details.put(k, v);
                    }
                });
                if (!details.isEmpty()) {
                    g.writeObjectFieldStart("details");
                    for (Map.Entry<String, Object> d : details.entrySet()) {
                        g.writeStringField(d.getKey(), String.valueOf(d.getValue()));
                    }
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        send(exchange, up ? 200 : 503, "application/json", body.toByteArray());
    }

    private void metrics(HttpExchange exchange) throws IOException {
        Supplier<String> source = metrics;
        if (source == null) {
            send(exchange, 404, "text/plain", "metrics are not enabled\n".getBytes());
            return;
        }
        send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", source.get().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
