package io.kinesisbridge.source.http;

import io.kinesisbridge.net.BodyBudget;
import io.kinesisbridge.net.EventSummary;
import io.kinesisbridge.net.GuardedHttpServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyStoreOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP source's server: HTTP/1.1 on the bridge's shared Vert.x, held to its limits by {@link GuardedHttpServer},
 * with a router that platform-http's consumers add their routes to (bound in the registry under the name they look
 * up). It stands in for Camel Main's embedded server, whose options cannot be set (no idle timeout, no connection
 * cap) and which logs a failure to bind and starts anyway. It binds when built, so that a taken port stops the start
 * before Camel starts anything. A request whose client hangs up before the answer is counted, and summed up in at
 * most one log line a minute. With bridge.http.cors.allowed-origins set, {@link CorsGate} takes every request first.
 */
public final class HttpListener extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(HttpListener.class);
    private static final Duration SUMMARY_INTERVAL = Duration.ofSeconds(60);
    private static final String REFUSED_DESCRIPTION =
            "HTTP requests refused before their body was taken: unauthorized (401), "
                    + "too_large (413), saturated (body bytes in flight at their limit), origin (403: an Origin not in "
                    + "bridge.http.cors.allowed-origins, or a preflight asking for what is not taken)";

    private final Vertx vertx;
    private final CamelContext context;
    private final Supplier<Optional<MeterRegistry>> meterRegistry;
    private final BodyBudget budget;
    private final RequestIntake intake;
    private final Optional<CorsGate> cors;
    private final EventSummary aborted = new EventSummary(
            "HTTP source: requests aborted, their connection closed "
                    + "before the answer (kinesis_bridge_http_requests_aborted_total)",
            SUMMARY_INTERVAL,
            LOG::warn);
    private final EventSummary failed = new EventSummary(
            "HTTP source: requests failed inside the bridge, answered 500 "
                    + "(kinesis_bridge_http_requests_failed_total)",
            SUMMARY_INTERVAL,
            LOG::error);
    private final List<Meter> meters = new ArrayList<>();
    private final GuardedHttpServer server;
    private final long flusher;
    private MeterRegistry registry;

    private HttpListener(
            Vertx vertx,
            HttpListenerSettings settings,
            CamelContext context,
            Supplier<Optional<MeterRegistry>> meterRegistry) {
        this.vertx = vertx;
        this.context = context;
        this.meterRegistry = meterRegistry;
        this.budget = new BodyBudget(settings.maxBodyBytesInFlight());
        this.intake = new RequestIntake(
                settings.token(),
                settings.maxBodyBytes(),
                budget,
                settings.saturatedStatus(),
                settings.retryAfterSeconds(),
                aborted::record);
        Router router = Router.router(vertx);
        this.cors = settings.cors().enabled() ? Optional.of(new CorsGate(settings.cors())) : Optional.empty();
        // first, before platform-http's routes and their token check: preflights carry no Authorization
        cors.ifPresent(gate -> router.route().handler(gate));
        router.route().failureHandler(this::failed);
        router.errorHandler(404, this::notFound);
        RequestIntake bodyHandler = intake;
        context.getRegistry()
                .bind(
                        VertxPlatformHttpRouter.PLATFORM_HTTP_ROUTER_NAME_ZERO,
                        new VertxPlatformHttpRouter(
                                null, vertx, router, VertxPlatformHttpRouter.PLATFORM_HTTP_ROUTER_NAME_ZERO) {
                            @Override
                            public Handler<RoutingContext> bodyHandler() {
                                return bodyHandler;
                            }
                        });
        HttpServerOptions options = new HttpServerOptions();
        settings.tls()
                .ifPresent(key -> options.setSsl(true)
                        .setKeyCertOptions(new KeyStoreOptions()
                                .setType(key.type())
                                .setPath(key.path().toString())
                                .setPassword(key.password())));
        this.server = GuardedHttpServer.listen(
                vertx, "http", "HTTP source", settings.address(), settings.limits(), options, router);
        this.flusher = vertx.setPeriodic(1000, id -> {
            aborted.flush();
            failed.flush();
        });
        LOG.debug(
                "HTTP source listening on {}://{} (at most {} connections, idle timeout {} ms, request timeout {} ms, "
                        + "{} body bytes in flight{})",
                settings.tls().isPresent() ? "https" : "http",
                settings.address(),
                settings.limits().maxConnections(),
                settings.limits().idleTimeout().toMillis(),
                settings.limits().requestTimeout().toMillis(),
                settings.maxBodyBytesInFlight(),
                settings.token().isPresent() ? ", bearer token required" : "");
        if (settings.cors().enabled()) {
            LOG.info(
                    "HTTP source: CORS allows {} (bridge.http.cors.allowed-origins); requests from other origins get 403",
                    settings.cors().describe());
        }
    }

    /**
     * Binds the HTTP source's address and its router (in the context's registry); the routes' paths answer once
     * they have started, before that and while the context stops every request gets 503 with Retry-After.
     *
     * @param meterRegistry the registry to put its meters in, looked up when the Camel context starts
     * @throws io.kinesisbridge.net.CannotListenException when the address cannot be bound
     */
    public static HttpListener listen(
            Vertx vertx,
            HttpListenerSettings settings,
            CamelContext context,
            Supplier<Optional<MeterRegistry>> meterRegistry) {
        return new HttpListener(vertx, settings, context, meterRegistry);
    }

    public int port() {
        return server.port();
    }

    int openConnections() {
        return server.openConnections();
    }

    long abortedRequests() {
        return aborted.total();
    }

    long refusals(RequestIntake.Refusal reason) {
        return intake.refusals(reason);
    }

    long corsRefusals() {
        return cors.map(CorsGate::refused).orElse(0L);
    }

    long bodyBytesInFlight() {
        return budget.held();
    }

    /** No route took the request: the routes have not started yet (or are stopping), or the path is not one of theirs. */
    private void notFound(RoutingContext request) {
        if (context.isStarted()) {
            request.response()
                    .setStatusCode(404)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(HttpIngest.errorJson("NotFound", "Nothing is served at this path"));
        } else {
            request.response()
                    .setStatusCode(503)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.RETRY_AFTER, "1")
                    .end(HttpIngest.errorJson("ServiceUnavailable", "The bridge is starting or stopping; retry"));
        }
    }

    /**
     * The router's last word on a failed request: an abort (the connection closed; {@link RequestIntake} counts it)
     * needs no answer, an error is answered 500 and summed up in the log.
     */
    private void failed(RoutingContext context) {
        Throwable failure = context.failure();
        if (context.response().closed() || failure instanceof HttpClosedException) {
            return;
        }
        if (failure == null) {
            context.next(); // a status (404, 405, 413 …), which Vert.x answers
            return;
        }
        failed.record(failure.toString());
        if (!context.response().ended()) {
            context.response()
                    .setStatusCode(500)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(HttpIngest.errorJson("InternalError", "The bridge failed to handle the request"));
        }
    }

    @Override
    protected void doStart() {
        meterRegistry.get().ifPresent(this::bindMeters);
    }

    private synchronized void bindMeters(MeterRegistry registry) {
        if (this.registry != null) {
            return;
        }
        this.registry = registry;
        server.bindMeters(registry);
        meters.add(FunctionCounter.builder("kinesis.bridge.http.requests.aborted", aborted, EventSummary::total)
                .description("HTTP requests whose connection closed before the answer")
                .register(registry));
        meters.add(FunctionCounter.builder("kinesis.bridge.http.requests.failed", failed, EventSummary::total)
                .description("HTTP requests that failed inside the bridge (answered 500)")
                .register(registry));
        for (RequestIntake.Refusal reason : RequestIntake.Refusal.values()) {
            meters.add(FunctionCounter.builder("kinesis.bridge.http.requests.refused", intake, i -> i.refusals(reason))
                    .description(REFUSED_DESCRIPTION)
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
        cors.ifPresent(gate ->
                meters.add(FunctionCounter.builder("kinesis.bridge.http.requests.refused", gate, CorsGate::refused)
                        .description(REFUSED_DESCRIPTION)
                        .tag("reason", "origin")
                        .register(registry)));
        meters.add(Gauge.builder("kinesis.bridge.http.body.bytes.in.flight", budget, BodyBudget::held)
                .description("Request-body bytes the HTTP source holds (bridge.http.max-body-bytes-in-flight)")
                .register(registry));
    }

    @Override
    protected synchronized void doStop() {
        vertx.cancelTimer(flusher);
        aborted.flush();
        failed.flush();
        if (registry != null) {
            meters.forEach(registry::remove);
            meters.clear();
            registry = null;
        }
        server.close();
    }
}
