package io.kinesisbridge.app;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.kinesisbridge.net.GuardedHttpServer;
import io.kinesisbridge.net.ListenAddress;
import io.kinesisbridge.net.ListenerLimits;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health and metrics on a listener of their own, apart from the sources' so that probes work whichever sources run:
 * {@code /observe/health} (every check), {@code /observe/health/live}, {@code /observe/health/ready} (200 when every
 * check is UP, 503 otherwise) and {@code /observe/metrics} (Prometheus text, when a scrape source is set); the paths
 * under {@code /console} go to the web console when it is on.
 *
 * <p>It serves on the bridge's shared Vert.x, held to its limits by {@link GuardedHttpServer}, so that stalled
 * connections cannot take the probes' place. Health checks may wait on the backend (up to seconds), so they run on
 * a small worker pool of their own, never on the event loop nor on the HTTP source's workers; a probe that comes
 * while the same answer is being worked out shares it instead of queueing another.
 */
public final class ManagementServer extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
    private static final JsonFactory JSON = JsonFactory.builder().build();
    /** One thread for each answer that may be worked out at once: all checks, liveness, readiness, metrics. */
    private static final int WORKERS = 4;

    private final CamelContext context;
    private final Vertx vertx;
    private final ListenAddress address;
    private final ListenerLimits limits;
    private final Supplier<Optional<MeterRegistry>> meterRegistry;
    /** Answers being worked out, by path; touched on the server's event loop only. */
    private final Map<String, Future<Answer>> working = new HashMap<>();

    private volatile Supplier<String> metrics;
    private volatile Handler<HttpServerRequest> console;
    private GuardedHttpServer server;
    private WorkerExecutor workers;

    /** An answer: status, content type, body. */
    private record Answer(int status, String contentType, byte[] body) {
        static Answer text(int status, String text) {
            return new Answer(status, "text/plain", text.getBytes(StandardCharsets.UTF_8));
        }
    }

    public ManagementServer(
            CamelContext context,
            Vertx vertx,
            ListenAddress address,
            ListenerLimits limits,
            Supplier<Optional<MeterRegistry>> meterRegistry) {
        this.context = context;
        this.vertx = vertx;
        this.address = address;
        this.limits = limits;
        this.meterRegistry = meterRegistry;
    }

    /** Who answers the paths under /console: the web console, when it is on. */
    public void setConsole(Handler<HttpServerRequest> console) {
        this.console = console;
    }

    /** Where /observe/metrics gets its Prometheus text from. */
    public void setMetrics(Supplier<String> metrics) {
        this.metrics = metrics;
    }

    public int port() {
        return server == null ? address.port() : server.port();
    }

    /**
     * Binds the address now, before Camel starts, so that a taken port stops the start with one line; health
     * answers DOWN until the routes have started.
     *
     * @throws io.kinesisbridge.net.CannotListenException when the address cannot be bound
     */
    public synchronized void listen() {
        if (server != null) {
            return;
        }
        workers = vertx.createSharedWorkerExecutor("management-worker", WORKERS, 60, TimeUnit.SECONDS);
        try {
            server = GuardedHttpServer.listen(
                    vertx, "management", "Management server", address, limits, new HttpServerOptions(), this::handle);
        } catch (RuntimeException e) {
            workers.close();
            throw e;
        }
        LOG.debug(
                "Management server on http://{}:{}/observe/health (live, ready) and /observe/metrics (at most {} connections)",
                address.host(),
                port(),
                limits.maxConnections());
    }

    @Override
    protected void doStart() {
        listen();
        meterRegistry.get().ifPresent(server::bindMeters);
        if (metrics == null) {
            // Camel's Micrometer support (camel.metrics.enabled) binds a Prometheus registry when it is on the class
            // path
            context.getRegistry().findByType(PrometheusMeterRegistry.class).stream()
                    .findFirst()
                    .ifPresent(registry -> metrics = registry::scrape);
        }
    }

    @Override
    protected synchronized void doStop() {
        if (server != null) {
            server.close();
            server = null;
            workers.close();
        }
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        switch (path) {
            case "/observe/health", "/observe/health/", "/observe/health/live", "/observe/health/ready" ->
                answerFromWorker(request, path, () -> health(path));
            default -> {
                Handler<HttpServerRequest> consoleHandler = console;
                if (consoleHandler != null && (path.equals("/console") || path.startsWith("/console/"))) {
                    consoleHandler.handle(request);
                } else if (path.startsWith("/observe/metrics")) {
                    Supplier<String> source = metrics;
                    if (source == null) {
                        send(request, Answer.text(404, "metrics are not enabled\n"));
                    } else {
                        answerFromWorker(
                                request,
                                "/observe/metrics",
                                () -> new Answer(
                                        200,
                                        "text/plain; version=0.0.4; charset=utf-8",
                                        source.get().getBytes(StandardCharsets.UTF_8)));
                    }
                } else {
                    send(request, Answer.text(404, "no such path\n"));
                }
            }
        }
    }

    /** Works the answer out on the management workers, or joins the same answer already being worked out. */
    private void answerFromWorker(HttpServerRequest request, String key, Callable<Answer> work) {
        Future<Answer> answer = working.get(key);
        if (answer == null) {
            answer = workers.executeBlocking(work, false);
            working.put(key, answer);
            Future<Answer> mine = answer;
            answer.onComplete(done -> working.remove(key, mine));
        }
        answer.onComplete(done -> {
            if (done.succeeded()) {
                send(request, done.result());
            } else {
                LOG.warn("Management server: {} failed: {}", key, done.cause().toString());
                send(request, Answer.text(500, "internal error\n"));
            }
        });
    }

    private static void send(HttpServerRequest request, Answer answer) {
        if (request.response().closed()) {
            return;
        }
        request.response()
                .setStatusCode(answer.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, answer.contentType())
                .end(Buffer.buffer(answer.body()));
    }

    private Answer health(String path) {
        if (!context.isStarted()) {
            return new Answer(
                    503,
                    "application/json",
                    "{\n  \"status\" : \"DOWN\",\n  \"checks\" : [ ]\n}".getBytes(StandardCharsets.UTF_8));
        }
        Collection<HealthCheck.Result> results = switch (path) {
            case "/observe/health/live" -> HealthCheckHelper.invokeLiveness(context);
            case "/observe/health/ready" -> HealthCheckHelper.invokeReadiness(context);
            default -> HealthCheckHelper.invoke(context);
        };
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Answer(up ? 200 : 503, "application/json", body.toByteArray());
    }
}
