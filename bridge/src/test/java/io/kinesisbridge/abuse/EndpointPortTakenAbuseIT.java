package io.kinesisbridge.abuse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding 8 for the Kinesis endpoint: a taken endpoint port stops the start with one line and no stack trace. */
@Tag("slow")
class EndpointPortTakenAbuseIT {

    @Test
    void aTakenEndpointPort_stopsTheSecondBridge_withOneLine(@TempDir Path dir) throws Exception {
        try (AbuseRig holder = AbuseRig.start(dir, "endpoint-port-holder", Map.of())) {
            AbuseRig.Exit exit = AbuseRig.runToExit(
                    dir,
                    "endpoint-port-taken",
                    Map.of("bridge.endpoint.port", String.valueOf(holder.endpointPort())),
                    Duration.ofSeconds(60));
            PortTaken.assertOneLineExit(
                    exit,
                    "kinesis-bridge: cannot listen on 127.0.0.1:" + holder.endpointPort()
                            + " (bridge.endpoint.port): address already in use");
            AbuseLedger.row(
                            "Kinesis endpoint port taken by another bridge",
                            "exit 2 with one line naming "
                                    + "bridge.endpoint.port and the address; the holder serves on",
                            PortTaken.observed(exit),
                            holder)
                    .check();
        }
    }
}
