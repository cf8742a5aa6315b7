package io.kinesisbridge.abuse;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 8 for syslog: a bridge started on a syslog port that is taken must exit at once with one line naming the
 * setting and the address: not print a trace after half of it started (TCP taken), nor start and share the UDP port
 * with another process that allows sharing (SO_REUSEADDR), which would then get the datagrams.
 */
@Tag("slow")
class SyslogPortTakenAbuseIT {

    @Test
    void aSyslogPortTakenByARunningBridge_stopsTheSecond_withOneLine(@TempDir Path dir) throws Exception {
        try (AbuseRig holder = AbuseRig.start(dir, "syslog-port-holder", Map.of())) {
            int port = holder.syslogPort();
            AbuseRig.Exit exit = AbuseRig.runToExit(
                    dir,
                    "syslog-port-taken",
                    Map.of("bridge.syslog.port", String.valueOf(port)),
                    Duration.ofSeconds(60));
            PortTaken.assertOneLineExit(
                    exit,
                    "kinesis-bridge: cannot listen on 127.0.0.1:" + port
                            + " (bridge.syslog.port): address already in use (TCP)");
            AbuseLedger.row(
                            "syslog port taken by another bridge (TCP and UDP)",
                            "exit 2 with one line naming " + "bridge.syslog.port and the address; the holder serves on",
                            PortTaken.observed(exit),
                            holder)
                    .check();
        }
    }

    @Test
    void aSyslogUdpPortAnotherDaemonShares_stopsTheStart_withOneLine(@TempDir Path dir) throws Exception {
        try (AbuseRig running = AbuseRig.start(dir, "syslog-udp-holder", Map.of());
                DatagramSocket other = new DatagramSocket(null)) {
            // another syslog daemon's socket, bound with sharing allowed (SO_REUSEADDR), as rsyslog binds its UDP
            // inputs
            other.setReuseAddress(true);
            other.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = other.getLocalPort();
            AbuseRig.Exit exit = AbuseRig.runToExit(
                    dir,
                    "syslog-udp-shared",
                    Map.of("bridge.syslog.port", String.valueOf(port)),
                    Duration.ofSeconds(60));
            PortTaken.assertOneLineExit(
                    exit,
                    "kinesis-bridge: cannot listen on 127.0.0.1:" + port
                            + " (bridge.syslog.port): address already in use (UDP)");
            AbuseLedger.row(
                            "syslog UDP port held by another daemon with SO_REUSEADDR",
                            "exit 2 with one line naming " + "bridge.syslog.port, not a bridge sharing the port",
                            PortTaken.observed(exit),
                            running)
                    .check();
        }
    }
}
