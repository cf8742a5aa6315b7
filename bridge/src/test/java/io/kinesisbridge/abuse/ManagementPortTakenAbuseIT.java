package io.kinesisbridge.abuse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 8 (management): a second bridge whose management port is taken exits with status 2 and one line naming
 * the address and the setting, not a stack trace.
 */
@Tag("slow")
class ManagementPortTakenAbuseIT {

    @Test
    void aTakenManagementPort_stopsTheSecondBridge_withOneLine_andTheFirstServesOn(@TempDir Path dir) throws Exception {
        try (AbuseRig holder = AbuseRig.start(dir, "management-port-holder", Map.of())) {
            AbuseRig.Exit exit = AbuseRig.runToExit(
                    dir,
                    "management-port-taken",
                    Map.of("bridge.management.port", String.valueOf(holder.managementPort())),
                    Duration.ofSeconds(60));
            PortTaken.assertOneLineExit(
                    exit,
                    "kinesis-bridge: cannot listen on 127.0.0.1:" + holder.managementPort()
                            + " (bridge.management.port): address already in use");
            AbuseLedger.row(
                            "management port taken by another bridge",
                            "exit 2 with one line naming "
                                    + "bridge.management.port and the address; the holder serves on",
                            PortTaken.observed(exit),
                            holder)
                    .check();
        }
    }
}
