package io.kinesisbridge.source.syslog;

import io.kinesisbridge.net.ConnectionStats;
import io.kinesisbridge.net.EventSummary;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * First in a syslog TCP connection's pipeline: counts the connection in, or closes it at once when the maximum is
 * open, and closes it once it has sent nothing for the idle timeout. One per connection.
 */
final class SyslogTcpGuard extends IdleStateHandler {

    static final String IDLE = "idle";

    private final ConnectionStats stats;
    private final int maxConnections;
    private final EventSummary refusals;
    private boolean counted;

    SyslogTcpGuard(SyslogListenerSettings settings, ConnectionStats stats, EventSummary refusals) {
        super(settings.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS);
        this.stats = stats;
        this.maxConnections = settings.maxConnections();
        this.refusals = refusals;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (!stats.tryOpen(maxConnections)) {
            refusals.record();
            ctx.close();
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
        stats.timedOut(IDLE);
        ctx.close();
    }
}
