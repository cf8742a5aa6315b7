package io.kinesisbridge.server;

import io.kinesisbridge.net.ConnectionStats;
import io.kinesisbridge.net.EventSummary;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.vertx.core.Future;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.TCPServerBase;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoint's connections: at most {@code maxConnections} open, and each closed when it idles, is slow to send
 * a request's head, or slow to send its body.
 *
 * <p>Vert.x 4 has neither a connection limit nor head or body deadlines, and with HTTP/2 prior knowledge on it
 * shows a connection to the application only once its first bytes told HTTP/1.1 from HTTP/2: a client that sends
 * nothing, or a byte every few seconds (slowloris), would hold its connection for ever. So a handler on the Netty
 * server channel sees each connection as it is accepted (counts it, or closes it at once), and a periodic sweep
 * checks each connection's deadline. A connection's state changes only on its event loop; the sweep's look at it is
 * a first guess, and the decision to close is taken again on that loop, where the state cannot change meanwhile.
 */
final class EndpointConnections {

    static final String IDLE = "idle";
    static final String HEADER_TIMEOUT = "header-timeout";
    static final String REQUEST_TIMEOUT = "request-timeout";

    private static final Logger LOG = LoggerFactory.getLogger(EndpointConnections.class);
    private static final AttributeKey<Tracked> TRACKED = AttributeKey.valueOf("kinesis-endpoint-connection");
    static final Duration SUMMARY_INTERVAL = Duration.ofSeconds(60);

    private final EndpointSettings settings;
    private final ConnectionStats stats =
            new ConnectionStats("kinesis-endpoint", List.of(IDLE, HEADER_TIMEOUT, REQUEST_TIMEOUT));
    private final Set<Tracked> open = ConcurrentHashMap.newKeySet();
    private final EventSummary refusals;
    private final EventSummary slowClients;

    EndpointConnections(EndpointSettings settings) {
        this.settings = settings;
        this.refusals = new EventSummary(
                "Kinesis endpoint: connections refused because " + settings.maxConnections()
                        + " were open (bridge.endpoint.max-connections)",
                SUMMARY_INTERVAL,
                LOG::warn);
        this.slowClients = new EventSummary(
                "Kinesis endpoint: connections closed because a request came too slowly "
                        + "(bridge.endpoint.header-timeout-ms "
                        + settings.headerTimeout().toMillis() + ", bridge.endpoint.request-timeout-ms "
                        + settings.requestTimeout().toMillis() + ")",
                SUMMARY_INTERVAL,
                LOG::warn);
    }

    ConnectionStats stats() {
        return stats;
    }

    /** How often the deadlines are checked: a quarter of the shortest, between 50 ms and 1 s. */
    long sweepIntervalMillis() {
        long shortest = Math.min(
                settings.idleTimeout().toMillis(),
                Math.min(
                        settings.headerTimeout().toMillis(),
                        settings.requestTimeout().toMillis()));
        return Math.max(50, Math.min(1000, shortest / 4));
    }

    /**
     * Watches the connections a listening server accepts. Vert.x servers of one address share one Netty server
     * channel, so the first server's is enough.
     *
     * @throws IllegalStateException when the server channel cannot be found (a Vert.x other than 4.5)
     */
    void watch(HttpServer listening) {
        Channel server = serverChannel(listening);
        // added on the channel's own loop, so that the guard is in place (handlerAdded done) when this returns: a guard
        // added from another thread is skipped by Netty until then, and a connection accepted meanwhile goes unseen
        server.eventLoop()
                .submit(() -> server.pipeline().addFirst("kinesis-endpoint-accept", new AcceptGuard()))
                .syncUninterruptibly();
    }

    @SuppressWarnings("unchecked")
    private static Channel serverChannel(HttpServer server) {
        try {
            Field bound = TCPServerBase.class.getDeclaredField("bindFuture");
            bound.setAccessible(true);
            Future<Channel> channel = (Future<Channel>) bound.get(server);
            if (channel != null && channel.succeeded() && channel.result() != null) {
                return channel.result();
            }
            throw new IllegalStateException("the server is not bound");
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "Kinesis endpoint: cannot watch the connections of the Vert.x server (" + e
                            + "); the connection limits need Vert.x 4.5",
                    e);
        }
    }

    /**
     * The connection's state, for the request handlers: a connection accepted before the guard was in place is
     * watched from its first request on. Null when it cannot be watched (not a Netty connection, or over the maximum).
     */
    Tracked of(HttpConnection connection) {
        if (!(connection instanceof ConnectionBase base)) {
            return null;
        }
        Tracked tracked = base.channel().attr(TRACKED).get();
        return tracked != null ? tracked : track(base.channel());
    }

    /** Counts and watches a new connection; null, and nothing counted, when the maximum is open. */
    private Tracked track(Channel child) {
        if (!stats.tryOpen(settings.maxConnections())) {
            return null;
        }
        Tracked tracked = new Tracked(child, System.nanoTime());
        child.attr(TRACKED).set(tracked);
        open.add(tracked);
        child.closeFuture().addListener(ignored -> {
            open.remove(tracked);
            stats.left();
        });
        return tracked;
    }

    /** Closes every connection past one of its deadlines; logs what the summaries hold. */
    void sweep() {
        for (Tracked t : open) {
            if (t.overdue(System.nanoTime(), settings) != null) {
                t.channel.eventLoop().execute(() -> closeIfOverdue(t));
            }
        }
        refusals.flush();
        slowClients.flush();
    }

    private void closeIfOverdue(Tracked t) {
        String reason = t.overdue(System.nanoTime(), settings);
        if (reason == null || !open.remove(t)) {
            return;
        }
        stats.timedOut(reason);
        if (!reason.equals(IDLE)) {
            slowClients.record(reason + " from " + t.channel.remoteAddress());
        }
        t.channel.close();
    }

    /** On the server channel: each accepted connection is counted and watched, or closed when the maximum is open. */
    @ChannelHandler.Sharable
    private final class AcceptGuard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Channel child = (Channel) msg;
            Tracked tracked = track(child);
            if (tracked == null) {
                child.unsafe().closeForcibly(); // not registered with an event loop yet, as Netty's acceptor does
                refusals.record();
                return;
            }
            child.pipeline().addLast("kinesis-endpoint-head-watch", new HeadWatch(tracked));
            ctx.fireChannelRead(child);
        }
    }

    /**
     * One connection's phase: idle (no request under way), head (bytes of a request arrived, its head not yet
     * complete), body (head read, body not yet complete), or answering. Written on the connection's event loop only
     * (an answer completed elsewhere hops there); volatile for the sweep's first guess.
     */
    static final class Tracked {
        final Channel channel;
        /** Requests begun and not yet answered (HTTP/2 may have several). */
        private volatile int active;
        /** Of those, requests whose body is still being read. */
        private volatile int reading;

        private volatile boolean headStarted;
        /** HTTP/2: also carries PING and SETTINGS frames while idle, so bytes do not mean a request has begun. */
        private volatile boolean multiplexed;
        /** When the current phase began (System.nanoTime). */
        private volatile long since;

        Tracked(Channel channel, long now) {
            this.channel = channel;
            this.since = now;
        }

        void requestBegun(boolean http2) {
            multiplexed |= http2;
            active++;
            reading++;
            headStarted = false;
            since = System.nanoTime();
        }

        void bodyRead() {
            if (reading > 0) {
                reading--;
            }
            since = System.nanoTime();
        }

        void requestAnswered() {
            if (!channel.eventLoop().inEventLoop()) {
                channel.eventLoop().execute(this::requestAnswered);
                return;
            }
            if (active > 0) {
                active--;
            }
            if (active == 0) {
                reading = 0;
                headStarted = false;
                since = System.nanoTime();
            }
        }

        void bytesArrived() {
            if (active == 0 && !headStarted && !multiplexed) {
                headStarted = true;
                since = System.nanoTime();
            }
        }

        /** The reason to close the connection now, or null. */
        String overdue(long now, EndpointSettings settings) {
            long elapsed = now - since;
            if (reading > 0) {
                return elapsed > settings.requestTimeout().toNanos() ? REQUEST_TIMEOUT : null;
            }
            if (active > 0) {
                return null; // being answered: the backend's latency is not the client's fault
            }
            if (headStarted) {
                return elapsed > settings.headerTimeout().toNanos() ? HEADER_TIMEOUT : null;
            }
            return elapsed > settings.idleTimeout().toNanos() ? IDLE : null;
        }
    }

    /** Notes the first bytes a connection sends while it has no request under way: a request head has begun. */
    private static final class HeadWatch extends ChannelInboundHandlerAdapter {
        private final Tracked tracked;

        HeadWatch(Tracked tracked) {
            this.tracked = tracked;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf buf && buf.isReadable()) {
                tracked.bytesArrived();
            }
            ctx.fireChannelRead(msg);
        }
    }
}
