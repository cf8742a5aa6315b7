package io.kinesisbridge.abuse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding 8 for syslog: a second bridge started on a syslog port that is taken must exit at once with one line naming
 * the setting and the address, not print a trace after half of it started (TCP taken), nor start and share the UDP
 * port with another process that allows sharing (SO_REUSEADDR), which then gets the datagrams.
 */
class SyslogPortTakenAbuseIT {

    @Test
    void aSyslogPortTakenByARunningBridge_exitsWithOneLine(@TempDir Path dir) throws Exception {
        try (AbuseRig holder = AbuseRig.start(dir, "syslog-port-holder", Map.of())) {
            int port = holder.syslogPort();
            AbuseRig.Exit exit = AbuseRig.runToExit(dir, "syslog-port-taken", Map.of("bridge.syslog.port", String.valueOf(port)),
                    Duration.ofSeconds(60));
            assertThat(exit.status()).as(exit.output()).hasValue(2);
            assertThat(exit.lines()).as(exit.output()).hasSize(1);
            assertThat(exit.lines().get(0)).contains("bridge.syslog.port").contains("127.0.0.1:" + port);
            AbuseLedger.refusedStart("second bridge on a taken syslog port (TCP and UDP)", "exits cleanly: one line naming the setting",
                    exit, holder).check();
        }
    }

    @Test
    void aSyslogUdpPortSharedBySO_REUSEADDR_exitsWithOneLine_insteadOfSharingIt(@TempDir Path dir) throws Exception {
        try (AbuseRig running = AbuseRig.start(dir, "syslog-udp-holder", Map.of());
             DatagramSocket other = new DatagramSocket(null)) {
            // another syslog daemon's socket, bound as rsyslog binds its UDP inputs: sharing allowed
            other.setReuseAddress(true);
            other.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = other.getLocalPort();
            AbuseRig.Exit exit = AbuseRig.runToExit(dir, "syslog-udp-shared", Map.of("bridge.syslog.port", String.valueOf(port)),
                    Duration.ofSeconds(60));
            assertThat(exit.status()).as("exit status (empty: it started and shared the port)").hasValue(2);
            assertThat(exit.lines()).as(exit.output()).hasSize(1);
            assertThat(exit.lines().get(0)).contains("bridge.syslog.port").contains("UDP 127.0.0.1:" + port);
            AbuseLedger.refusedStart("bridge on a syslog UDP port another daemon holds with SO_REUSEADDR",
                    "exits cleanly: one line naming the setting", exit, running).check();
        }
    }
}
