package io.kinesisbridge.server;

import io.kinesisbridge.net.AllowedOrigins;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves a {@link KinesisApi} on the Kinesis wire protocol: HTTP POST to any path, {@code X-Amz-Target:
 * Kinesis_20131202.<Operation>}, JSON 1.1 or CBOR 1.1 bodies. HTTP/1.1 with keep-alive, and HTTP/2 without TLS
 * (prior knowledge), on Vert.x event loops: one server per loop on the same port, requests answered on the loop
 * that read them (the in-memory backend never blocks).
 *
 * <p>No request signature is checked: anyone who reaches the port can read and write every stream, which is why
 * it listens on the loopback address unless told otherwise.
 */
public final class KinesisEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KinesisEndpoint.class);

    private final KinesisApi api;
    private final EndpointSettings settings;
    private final AtomicLong requestIds = new AtomicLong();
    private final String requestIdPrefix = Long.toHexString(System.nanoTime() & 0xFFFFFFFFL) + "-";
    private final Optional<Vertx> shared;
    private Vertx vertx;
    private final List<HttpServer> servers = new ArrayList<>();
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
    }

    /**
     * Starts listening; returns once the port is bound.
     *
     * @throws IllegalStateException when the address cannot be bound (the port is taken, the host is not local)
     */
    public synchronized void start() {
        if (vertx != null) {
            return;
        }
        int loops = settings.eventLoops();
        vertx = shared.orElseGet(() -> Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1).setPreferNativeTransport(false)));
        try {
            // Vert.x spreads the connections of one port over the servers, one loop each; servers given the same
            // negative port share one random port
            int requested = settings.port() == 0 ? -1 : settings.port();
            int bound = listen(requested);
            for (int i = 1; i < loops; i++) {
                listen(requested);
            }
            port = bound;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("Kinesis endpoint listening on {} (JSON 1.1 and CBOR 1.1; {} event loop{})", url(), loops, loops > 1 ? "s" : "");
    }

    private int listen(int onPort) {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(settings.host())
                .setPort(onPort)
                .setTcpNoDelay(true)
                .setReuseAddress(true)
                .setCompressionSupported(false)
                .setHttp2ClearTextEnabled(true)
                .setMaxFormAttributeSize(0)
                .setIdleTimeout(settings.idleTimeoutSeconds())
                .setIdleTimeoutUnit(TimeUnit.SECONDS);
        HttpServer server = vertx.createHttpServer(options).requestHandler(this::accept)
                // the only ways this server closes a keep-alive connection besides the idle timeout and a 413:
                // say so, so that a client's "connection was closed during the request" can be traced
                .invalidRequestHandler(request -> {
                    LOG.warn("Kinesis endpoint: invalid HTTP request from {} ({}); answering 400 and closing the connection",
                            request.remoteAddress(), request.decoderResult().cause() == null ? "malformed"
                                    : request.decoderResult().cause().toString());
                    HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER.handle(request);
                })
                .connectionHandler(connection -> connection.exceptionHandler(error -> {
                    if (!(error instanceof java.io.IOException)) {
                        LOG.warn("Kinesis endpoint: connection from {} failed and is closed: {}", connection.remoteAddress(),
                                error.toString());
                    }
                }));
        try {
            HttpServer listening = server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            servers.add(listening);
            return listening.actualPort();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kinesis endpoint: cannot listen on " + settings.host() + ":" + Math.max(0, onPort)
                    + " (" + e.getCause().getMessage() + "); set bridge.endpoint.port to a free port, or "
                    + "bridge.endpoint.enabled=false", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kinesis endpoint: listening on " + settings.host() + ":" + onPort + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the Kinesis endpoint", e);
        }
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
        response.putHeader("x-amzn-RequestId", requestIdPrefix + requestIds.incrementAndGet());
        if (cors.answered(request)) {
            return;
        }
        if (request.method() != HttpMethod.POST) {
            answer(response, KinesisApi.notPost());
            return;
        }
        String length = request.getHeader("Content-Length");
        if (length != null && tooLarge(length)) {
            tooLarge(request);
            return;
        }
        Buffer body = Buffer.buffer(length == null ? 1024 : Math.max(0, parse(length)));
        request.handler(chunk -> {
            if (body.length() + chunk.length() > settings.maxRequestBytes()) {
                tooLarge(request);
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(ignored -> {
            if (response.ended()) {
                return;
            }
            api.handle(request.getHeader("Content-Type"), request.getHeader("X-Amz-Target"), body.getBytes())
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

    private static void answer(HttpServerResponse response, Reply reply) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(reply.status());
        reply.contentType().ifPresent(type -> response.putHeader("Content-Type", type));
        reply.errorType().ifPresent(type -> response.putHeader("x-amzn-ErrorType", type));
        response.end(Buffer.buffer(reply.body()));
    }

    private boolean tooLarge(String length) {
        return parse(length) > settings.maxRequestBytes();
    }

    private static int parse(String length) {
        try {
            long n = Long.parseLong(length.trim());
            return n > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) n;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** 413, as Kinesis answers a request body over its limit; the connection closes (the body is not read). */
    private static void tooLarge(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        if (!response.ended()) {
            response.setStatusCode(413).putHeader("Connection", "close").end();
            request.connection().close();
        }
    }

    @Override
    public synchronized void close() {
        if (vertx == null) {
            return;
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
                LOG.info("Kinesis endpoint on port {} stopped", port);
            }
            port = -1;
        }
    }
}
