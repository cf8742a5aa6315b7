package io.kinesisbridge.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 8 (HTTP): a second bridge whose HTTP port is taken (by the first) must not start with a dead HTTP source
 * and answer ready: it exits with status 2 and one line naming the address and the setting.
 */
@Tag("slow")
class HttpPortTakenAbuseIT {

    @Test
    void aTakenHttpPort_stopsTheSecondBridge_withOneLine_andTheFirstServesOn(@TempDir Path dir) throws Exception {
        try (AbuseRig holder = AbuseRig.start(dir, "http-port-holder", Map.of())) {
            AbuseRig.Exit exit = AbuseRig.runToExit(
                    dir,
                    "http-port-taken",
                    Map.of("bridge.http.port", String.valueOf(holder.httpPort())),
                    Duration.ofSeconds(60));
            PortTaken.assertOneLineExit(
                    exit,
                    "kinesis-bridge: cannot listen on 127.0.0.1:" + holder.httpPort()
                            + " (bridge.http.port): address already in use");
            assertThat(exit.output()).doesNotContain("Started http-clickstream");
            // the row shows the line itself: Camel's shutdown lines come after it
            AbuseLedger.row(
                            "HTTP port taken by another bridge",
                            "exit 2 with one line naming bridge.http.port and the " + "address; the holder serves on",
                            PortTaken.observed(exit),
                            holder)
                    .check();
        }
    }
}
