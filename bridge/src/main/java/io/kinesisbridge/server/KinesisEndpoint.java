package io.kinesisbridge.server;

import io.kinesisbridge.net.AllowedOrigins;
import io.kinesisbridge.net.BodyBudget;
import io.kinesisbridge.net.CannotListenException;
import io.kinesisbridge.net.ConnectionStats;
import io.kinesisbridge.net.EventSummary;
import io.kinesisbridge.net.ListenAddress;
import io.kinesisbridge.put.KinesisError;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link KinesisApi} on the Kinesis wire protocol: HTTP POST to any path, {@code X-Amz-Target:
 * Kinesis_20131202.<Operation>}, JSON 1.1 or CBOR 1.1 bodies. HTTP/1.1 with keep-alive, and HTTP/2 without TLS
 * (prior knowledge), on Vert.x event loops: one server per loop on the same port, requests answered on the loop
 * that read them (the in-memory backend never blocks).
 *
 * <p>No request signature is checked: anyone who reaches the port can read and write every stream, which is why
 * it listens on the loopback address unless told otherwise.
 *
 * <p>Bounded as {@link EndpointSettings} says: connections (with idle, head and body deadlines), the size of one
 * body, and the body bytes held over all connections. A body is collected as it arrives, so a Content-Length
 * alone reserves no memory.
 */
public final class KinesisEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KinesisEndpoint.class);

    private final KinesisApi api;
    private final EndpointSettings settings;
    private final Optional<Vertx> shared;
    private Vertx vertx;
    private final List<HttpServer> servers = new ArrayList<>();
    private final EndpointConnections connections;
    private final BodyBudget budget;
    private final LongAdder tooLarge = new LongAdder();
    private final LongAdder overBudget = new LongAdder();
    private final EventSummary overBudgetWarnings;
    private final EventSummary invalidRequests = new EventSummary(
            "Kinesis endpoint: invalid HTTP requests, answered 400 " + "with the connection closed",
            EndpointConnections.SUMMARY_INTERVAL,
            LOG::warn);
    private final EventSummary failedConnections = new EventSummary(
            "Kinesis endpoint: connections that failed and were closed",
            EndpointConnections.SUMMARY_INTERVAL,
            LOG::warn);
    private long sweepTimer = -1;
    private volatile int port = -1;
    private volatile EndpointCors cors = new EndpointCors(AllowedOrigins.LOOPBACK);

    /** An endpoint with a Vert.x instance of its own. */
    public KinesisEndpoint(KinesisApi api, EndpointSettings settings) {
        this(api, settings, Optional.empty());
    }

    /** @param shared a Vert.x instance to serve on, which the caller closes; empty: one of its own */
    public KinesisEndpoint(KinesisApi api, EndpointSettings settings, Optional<Vertx> shared) {
        this.api = api;
        this.settings = settings;
        this.shared = shared;
        this.connections = new EndpointConnections(settings);
        this.budget = new BodyBudget(settings.maxBodyBytesInFlight());
        this.overBudgetWarnings = new EventSummary(
                "Kinesis endpoint: requests answered 503 because request bodies held " + settings.maxBodyBytesInFlight()
                        + " bytes (bridge.endpoint.max-body-bytes-in-flight)",
                EndpointConnections.SUMMARY_INTERVAL,
                LOG::warn);
    }

    /**
     * Starts listening; returns once the port is bound.
     *
     * @throws CannotListenException when the address cannot be bound (the port is taken, the host is not local)
     */
    public synchronized void start() {
        if (vertx != null) {
            return;
        }
        int loops = settings.eventLoops();
        vertx = shared.orElseGet(() -> Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(loops)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                .setPreferNativeTransport(false)));
        try {
            // Vert.x spreads the connections of one port over the servers, one loop each; servers given the same
            // negative port share one random port
            int requested = settings.port() == 0 ? -1 : settings.port();
            int bound = listen(requested);
            connections.watch(servers.get(0));
            for (int i = 1; i < loops; i++) {
                listen(requested);
            }
            port = bound;
            sweepTimer = vertx.setPeriodic(connections.sweepIntervalMillis(), ignored -> {
                connections.sweep();
                overBudgetWarnings.flush();
                invalidRequests.flush();
                failedConnections.flush();
            });
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.debug(
                "Kinesis endpoint listening on {} (JSON 1.1 and CBOR 1.1; {} event loop{})",
                url(),
                loops,
                loops > 1 ? "s" : "");
    }

    private int listen(int onPort) {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(settings.host())
                .setPort(onPort)
                .setTcpNoDelay(true)
                .setReuseAddress(true)
                .setCompressionSupported(false)
                .setHttp2ClearTextEnabled(true)
                .setMaxFormAttributeSize(0);
        HttpServer server = vertx.createHttpServer(options)
                .requestHandler(this::accept)
                // the only ways this server closes a keep-alive connection besides its limits and a 413/503: say so
                // (at most once per interval: clients decide how often this happens), so that a client's "connection
                // was closed during the request" can be traced
                .invalidRequestHandler(request -> {
                    Throwable cause = request.decoderResult().cause();
                    if (!(cause instanceof PrematureChannelClosureException)) {
                        invalidRequests.record(
                                "from " + request.remoteAddress() + ": " + (cause == null ? "malformed" : cause));
                    }
                    HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER.handle(request);
                })
                .connectionHandler(connection -> connection.exceptionHandler(error -> {
                    if (!(error instanceof IOException) && !(error instanceof PrematureChannelClosureException)) {
                        failedConnections.record("from " + connection.remoteAddress() + ": " + error);
                    }
                }));
        try {
            HttpServer listening =
                    server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            servers.add(listening);
            return listening.actualPort();
        } catch (ExecutionException e) {
            throw new CannotListenException(address(), e.getCause());
        } catch (TimeoutException e) {
            throw new CannotListenException(address(), new TimeoutException("binding took longer than 30 s"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CannotListenException(address(), e);
        }
    }

    private ListenAddress address() {
        return new ListenAddress(settings.host(), settings.port(), "bridge.endpoint.port");
    }

    /** Which web pages may call the endpoint from a browser (bridge.endpoint.cors.allowed-origins); loopback ones unless set. */
    public void allowBrowsersFrom(AllowedOrigins origins) {
        cors = new EndpointCors(origins);
    }

    /** The port listened on (the one picked when the settings said 0); -1 before start. */
    public int port() {
        return port;
    }

    /** {@code http://host:port}, what {@code --endpoint-url} and {@code endpointOverride} take. */
    public String url() {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return "http://" + host + ":" + port;
    }

    private void accept(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        RequestIds.stamp(response);
        EndpointConnections.Tracked connection = connections.of(request.connection());
        if (connection == null) {
            request.connection().close(); // accepted before the guard was in place, and over the maximum
            return;
        }
        connection.requestBegun(request.version() == HttpVersion.HTTP_2);
        if (cors.intercepts(request)) {
            connection.bodyRead();
            response.endHandler(ignored -> connection.requestAnswered());
            cors.answer(request);
            return;
        }
        cors.addHeaders(request);
        if (request.method() != HttpMethod.POST) {
            connection.bodyRead();
            response.endHandler(ignored -> connection.requestAnswered());
            answer(response, api.notPost(RequestSignature.of(request)));
            return;
        }
        long announced = contentLength(request.getHeader("Content-Length"));
        int limit = settings.requestBodyLimit();
        if (announced > limit) {
            response.endHandler(ignored -> connection.requestAnswered());
            refuse(request, connection, Refusal.TOO_LARGE);
            return;
        }
        RequestBody body = new RequestBody(budget, limit, announced);
        Runnable finished = new Runnable() {
            private boolean done;

            @Override
            public void run() {
                if (!done) {
                    done = true;
                    body.release();
                    connection.requestAnswered();
                }
            }
        };
        response.endHandler(ignored -> finished.run());
        response.closeHandler(ignored -> finished.run());
        request.handler(chunk -> {
            if (response.ended()) {
                return;
            }
            switch (body.append(chunk)) {
                case TOO_LARGE -> refuse(request, connection, Refusal.TOO_LARGE);
                case OVER_BUDGET -> refuse(request, connection, Refusal.OVER_BUDGET);
                case TAKEN -> {}
            }
        });
        request.endHandler(ignored -> {
            connection.bodyRead();
            if (response.ended() || response.closed()) {
                return;
            }
            api.handle(
                            request.getHeader("Content-Type"),
                            request.getHeader("X-Amz-Target"),
                            body.bytes(),
                            RequestSignature.of(request))
                    .whenComplete((reply, error) -> {
                        if (error != null) {
                            LOG.warn("Kinesis endpoint: request failed", error);
                            response.setStatusCode(500).end();
                        } else {
                            answer(response, reply);
                        }
                    });
        });
    }

    /** How long a refused request's body is still read (and dropped) before its connection is closed. */
    private static final Duration LINGER = Duration.ofSeconds(2);

    /** Why a request is answered before its body was read. */
    private enum Refusal {
        TOO_LARGE,
        OVER_BUDGET
    }

    /**
     * 413 as Kinesis answers a body over its limit, or 503 ServiceUnavailable (which SDKs retry) when the body bytes
     * in flight over all connections are at their maximum. The rest of the body is not kept: an HTTP/1.x connection
     * is closed once it has been sent or after a short linger.
     */
    private void refuse(HttpServerRequest request, EndpointConnections.Tracked connection, Refusal refusal) {
        HttpServerResponse response = request.response();
        if (response.ended()) {
            return;
        }
        connection.bodyRead();
        response.putHeader("Connection", "close");
        if (refusal == Refusal.TOO_LARGE) {
            tooLarge.increment();
            response.setStatusCode(413).end();
        } else {
            overBudget.increment();
            overBudgetWarnings.record();
            WireFormat format = WireFormat.of(request.getHeader("Content-Type")).orElse(WireFormat.JSON);
            answer(
                    response,
                    Replies.error(
                            format,
                            new KinesisError(
                                    KinesisError.SERVICE_UNAVAILABLE,
                                    "The endpoint holds as many request bytes as it may; retry shortly")));
        }
        if (request.version() != HttpVersion.HTTP_2) {
            closeAfterLingering(request);
        }
    }

    /**
     * Closes an HTTP/1.x connection whose body will not be read, after reading and dropping what the client still
     * sends for a short while: closing at once, with the client's bytes unread, resets the connection, and the reset
     * can destroy the answer before the client has read it.
     */
    private void closeAfterLingering(HttpServerRequest request) {
        if (request.isEnded()) {
            request.connection().close();
            return;
        }
        request.handler(dropped -> {});
        long timer = vertx.setTimer(
                LINGER.toMillis(), ignored -> request.connection().close());
        request.endHandler(ignored -> {
            vertx.cancelTimer(timer);
            request.connection().close();
        });
    }

    private static void answer(HttpServerResponse response, Reply reply) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(reply.status());
        reply.contentType().ifPresent(type -> response.putHeader("Content-Type", type));
        reply.errorType().ifPresent(type -> response.putHeader("x-amzn-ErrorType", type));
        response.end(Buffer.buffer(reply.body()));
    }

    /** The Content-Length, or -1 when there is none or it is not a number (the HTTP decoder rejects those). */
    private static long contentLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** What the connection limits did: connections open, refused at the maximum, and closed by the deadlines. */
    public ConnectionStats connectionStats() {
        return connections.stats();
    }

    /** Request body bytes held now, over all connections. */
    public long bodyBytesInFlight() {
        return budget.held();
    }

    /** Requests answered 413 because their body was over the limit. */
    public long requestsTooLarge() {
        return tooLarge.sum();
    }

    /** Requests answered 503 because the body bytes in flight were at their maximum. */
    public long requestsOverBudget() {
        return overBudget.sum();
    }

    @Override
    public synchronized void close() {
        if (vertx == null) {
            return;
        }
        if (sweepTimer >= 0) {
            vertx.cancelTimer(sweepTimer);
            sweepTimer = -1;
        }
        try {
            if (shared.isPresent()) {
                for (HttpServer server : servers) {
                    server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                }
            } else {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Kinesis endpoint: Vert.x did not close cleanly", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            vertx = null;
            servers.clear();
            if (port >= 0) {
                LOG.debug("Kinesis endpoint on port {} stopped", port);
            }
            port = -1;
        }
    }
}
