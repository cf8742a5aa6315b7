package io.kinesisbridge.net;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Vert.x HTTP/1.1 server held to its {@link ListenerLimits}: a connection over the maximum is closed as soon as it
 * is accepted (counted as refused), one that does not deliver a whole request in time is closed (counted as timed
 * out, slowloris included), one on which nothing moves is closed by Vert.x's idle timeout. HTTP/2 is not offered, so
 * that a connection carries one request at a time and these limits mean what they say.
 *
 * <p>Meters, tagged {@code listener}: {@code kinesis_bridge_listener_connections_open},
 * {@code kinesis_bridge_listener_connections_refused_total}, {@code kinesis_bridge_listener_connections_timed_out_total}.
 */
public final class GuardedHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedHttpServer.class);
    static final Duration SUMMARY_INTERVAL = Duration.ofSeconds(60);

    private final Vertx vertx;
    private final String listener;
    private final ListenAddress address;
    private final ListenerLimits limits;
    private final Map<HttpConnection, Tracked> open = new ConcurrentHashMap<>();
    private final AtomicInteger openCount = new AtomicInteger();
    private final EventSummary refused;
    private final EventSummary timedOut;
    private final List<Meter> meters = new CopyOnWriteArrayList<>();
    private MeterRegistry registry;
    private HttpServer server;
    private long sweeper = -1;

    private GuardedHttpServer(Vertx vertx, String listener, String name, ListenAddress address, ListenerLimits limits) {
        this.vertx = vertx;
        this.listener = listener;
        this.address = address;
        this.limits = limits;
        this.refused = new EventSummary(
                name + ": connections refused because " + limits.maxConnections() + " were open ("
                        + siblingSetting("max-connections") + ")",
                SUMMARY_INTERVAL,
                LOG::warn);
        this.timedOut = new EventSummary(
                name + ": connections closed because no whole request came within "
                        + limits.requestTimeout().toMillis() + " ms (" + siblingSetting("request-timeout-ms") + ")",
                SUMMARY_INTERVAL,
                LOG::warn);
    }

    /**
     * Binds {@code address} and serves {@code requests} on it; returns once bound.
     *
     * @param listener the {@code listener} tag of the meters: {@code http}, {@code management}
     * @param name     how log lines name the listener: "HTTP source"
     * @param options  the server's options as far as the caller sets them (TLS); the limits' and HTTP/1.1 are added
     * @throws CannotListenException when the address cannot be bound
     */
    public static GuardedHttpServer listen(
            Vertx vertx,
            String listener,
            String name,
            ListenAddress address,
            ListenerLimits limits,
            HttpServerOptions options,
            Handler<HttpServerRequest> requests) {
        GuardedHttpServer guarded = new GuardedHttpServer(vertx, listener, name, address, limits);
        guarded.start(options, requests);
        return guarded;
    }

    private void start(HttpServerOptions options, Handler<HttpServerRequest> requests) {
        options.setHost(address.host())
                .setPort(address.port())
                .setIdleTimeout((int) limits.idleTimeout().toMillis())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setHttp2ClearTextEnabled(false)
                .setUseAlpn(false)
                .setTcpNoDelay(true)
                .setReuseAddress(true);
        HttpServer created = vertx.createHttpServer(options)
                .connectionHandler(this::accept)
                .requestHandler(request -> {
                    Tracked tracked = open.get(request.connection());
                    if (tracked != null) {
                        tracked.started(request);
                    }
                    requests.handle(request);
                });
        try {
            server = created.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new CannotListenException(address, e.getCause());
        } catch (TimeoutException e) {
            throw new CannotListenException(address, new TimeoutException("binding took longer than 30 s"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CannotListenException(address, e);
        }
        long sweepMillis = Math.max(10, Math.min(1000, limits.requestTimeout().toMillis() / 4));
        sweeper = vertx.setPeriodic(sweepMillis, id -> sweep());
    }

    /** The port bound: the one picked when the address said 0. */
    public int port() {
        return server.actualPort();
    }

    public int openConnections() {
        return openCount.get();
    }

    public long refusedConnections() {
        return refused.total();
    }

    public long timedOutConnections() {
        return timedOut.total();
    }

    private void accept(HttpConnection connection) {
        if (openCount.incrementAndGet() > limits.maxConnections()) {
            openCount.decrementAndGet();
            refused.record();
            connection.close();
            return;
        }
        open.put(connection, new Tracked(System.nanoTime()));
        connection.closeHandler(v -> {
            if (open.remove(connection) != null) {
                openCount.decrementAndGet();
            }
        });
    }

    private void sweep() {
        long now = System.nanoTime();
        long limit = limits.requestTimeout().toNanos();
        open.forEach((connection, tracked) -> {
            if (tracked.overdue(now, limit)) {
                timedOut.record();
                connection.close();
            }
        });
        refused.flush();
        timedOut.flush();
    }

    /** Registers the listener's meters (once; later calls do nothing). */
    public synchronized void bindMeters(MeterRegistry registry) {
        if (this.registry != null) {
            return;
        }
        this.registry = registry;
        meters.add(Gauge.builder("kinesis.bridge.listener.connections.open", openCount, AtomicInteger::get)
                .description("Connections open on the listener")
                .tag("listener", listener)
                .register(registry));
        meters.add(FunctionCounter.builder("kinesis.bridge.listener.connections.refused", refused, EventSummary::total)
                .description("Connections closed as soon as accepted: the listener had its maximum open")
                .tag("listener", listener)
                .register(registry));
        meters.add(
                FunctionCounter.builder("kinesis.bridge.listener.connections.timed.out", timedOut, EventSummary::total)
                        .description("Connections closed because no whole request came within the request timeout")
                        .tag("listener", listener)
                        .register(registry));
    }

    /** Stops listening and closes every connection. */
    @Override
    public synchronized void close() {
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
            sweeper = -1;
        }
        if (registry != null) {
            meters.forEach(registry::remove);
            meters.clear();
        }
        if (server != null) {
            try {
                server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("{} on {} did not close cleanly: {}", listener, address, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }

    /** bridge.http.port → bridge.http.max-connections: the settings of one listener share a prefix. */
    private String siblingSetting(String name) {
        String port = address.portSetting();
        return port.substring(0, port.lastIndexOf('.') + 1) + name;
    }

    /** Where a connection is: waiting for a request (since when), or receiving one (since when). */
    private static final class Tracked {
        private volatile HttpServerRequest request;
        private volatile long since;

        Tracked(long opened) {
            this.since = opened;
        }

        void started(HttpServerRequest request) {
            this.since = System.nanoTime();
            this.request = request;
        }

        /**
         * Whether the connection has waited longer than the limit for a whole request. Once a request is in, the
         * answer may take as long as the route needs; the wait for the next request starts when the sweep first
         * sees the answer sent.
         */
        boolean overdue(long now, long limit) {
            HttpServerRequest current = request;
            if (current != null) {
                if (current.response().ended() || current.response().closed()) {
                    request = null;
                    since = now;
                    return false;
                }
                if (current.isEnded()) {
                    return false;
                }
            }
            return now - since > limit;
        }
    }
}
