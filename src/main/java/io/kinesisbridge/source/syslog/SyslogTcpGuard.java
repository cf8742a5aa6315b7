package io.kinesisbridge.source.syslog;

import io.kinesisbridge.listener.ConnectionStats;
import io.kinesisbridge.listener.WarningThrottle;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * First in a syslog TCP connection's pipeline: counts the connection in, or closes it at once when the maximum is
 * open, and closes it once it has sent nothing for the idle timeout. One per connection.
 */
final class SyslogTcpGuard extends IdleStateHandler {

    static final String IDLE = "idle";
    private static final Logger LOG = LoggerFactory.getLogger(SyslogTcpGuard.class);

    private final ConnectionStats stats;
    private final int maxConnections;
    private final WarningThrottle refusals;
    private boolean counted;

    SyslogTcpGuard(SyslogListenerSettings settings, ConnectionStats stats, WarningThrottle refusals) {
        super(settings.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS);
        this.stats = stats;
        this.maxConnections = settings.maxConnections();
        this.refusals = refusals;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (!stats.tryOpen(maxConnections)) {
            ctx.close();
            refusals.event(n -> LOG.warn("Syslog TCP: refused {} connection(s) in the last interval: {} are open, the most "
                    + "bridge.syslog.max-connections allows", n, maxConnections));
            return;
        }
        counted = true;
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (counted) {
            counted = false;
            stats.left();
        }
        super.channelInactive(ctx);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        stats.closedBy(IDLE);
        ctx.close();
    }
}
