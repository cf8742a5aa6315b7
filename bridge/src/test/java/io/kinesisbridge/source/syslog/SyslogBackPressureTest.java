package io.kinesisbridge.source.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.kinesisbridge.app.RunningBridge;
import io.kinesisbridge.testing.FreePorts;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A syslog sender faster than Kinesis is slowed by TCP itself, instead of filling the bridge's memory. */
class SyslogBackPressureTest {

    @Test
    void tcpSender_fasterThanKinesis_isHeldBackByTcp_notQueuedInMemory(@TempDir Path dir) throws Exception {
        int port = FreePorts.tcpAndUdp();
        try (RunningBridge bridge = RunningBridge.start(
                dir,
                Map.of(
                        "bridge.syslog.enabled",
                        "true",
                        "bridge.syslog.port",
                        String.valueOf(port),
                        // Kinesis at 1 record/s per shard, at most 50 records in flight: the route is saturated at once
                        "bridge.memory.shard-limits",
                        "true",
                        "bridge.memory.records-per-second",
                        "1",
                        "bridge.max-in-flight-records",
                        "50"))) {
            byte[] line = "<14>1 2026-12-03T10:00:00.000Z host app 1 - - a message of some fifty bytes\n"
                    .getBytes(StandardCharsets.UTF_8);
            ByteBuffer lots = ByteBuffer.allocate(32 << 20);
            while (lots.remaining() >= line.length) {
                lots.put(line);
            }
            lots.flip();
            long offered = lots.remaining();
            try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
                channel.configureBlocking(false);
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (lots.hasRemaining() && System.nanoTime() < deadline) {
                    if (channel.write(lots) == 0) {
                        Thread.onSpinWait();
                    }
                }
            }
            long taken = offered - lots.remaining();
            // what TCP's buffers hold on both ends, a few MiB at most, not the whole 32 MiB
            assertThat(taken)
                    .as("bytes the bridge took of %d while Kinesis was the bottleneck", offered)
                    .isLessThan(12L << 20);
        }
    }
}
