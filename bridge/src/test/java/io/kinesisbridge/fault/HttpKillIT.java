package io.kinesisbridge.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.backend.memory.StreamRecord;
import io.kinesisbridge.testing.Accounting;
import io.kinesisbridge.testing.BridgeProcess;
import io.kinesisbridge.testing.FaultLedger;
import io.kinesisbridge.testing.FaultRig;
import io.kinesisbridge.testing.FreePorts;
import io.kinesisbridge.testing.HttpLoad;
import io.kinesisbridge.testing.KinesisSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of the bridge (its own JVM, AWS backend, Kinesis a second process) twice during HTTP load, each time
 * started again: every event the bridge answered for is in Kinesis; duplicates are at most what was in flight at
 * each kill (events Kinesis had taken but the client had no answer for, so it sent them again).
 */
@Tag("slow")
class HttpKillIT {

    private static final int BATCH = 50;

    @TempDir
    Path dir;

    @Test
    void sigkillDuringHttpLoad_thenRestart_losesNothing() throws Exception {
        int httpPort = FreePorts.tcp();
        int kills = 0;
        long inFlightAtKills = 0;
        try (KinesisSink sink = KinesisSink.start(dir, FaultRig.STREAM + ":2", Map.of());
                BridgeProcess bridge = BridgeProcess.start(dir, "bridge", FaultRig.bridgeOnSink(sink, httpPort))) {
            bridge.awaitReady(Duration.ofSeconds(60));
            Accounting settled;
            try (HttpLoad load = HttpLoad.start("http://127.0.0.1:" + httpPort + "/clickstream", 1000, BATCH)) {
                for (int threshold : new int[] {3_000, 8_000}) {
                    await().atMost(Duration.ofSeconds(60)).until(() -> load.taken.size() >= threshold);
                    inFlightAtKills += load.inFlightEvents.get();
                    bridge.kill();
                    kills++;
                    bridge.restart();
                    bridge.awaitReady(Duration.ofSeconds(60));
                }
                int before = load.taken.size();
                await().atMost(Duration.ofSeconds(60)).until(() -> load.taken.size() >= before + 2_000);
                load.awaitDrained(Duration.ofSeconds(60));
                assertThat(load.stillHeld())
                        .as(() -> load.describe() + "\n"
                                + bridge.metricsText()
                                        .lines()
                                        .filter(l -> l.startsWith("kinesis_bridge_records")
                                                || l.startsWith("kinesis_bridge_spool"))
                                        .toList())
                        .isEmpty();
                settled = FaultRig.awaitSettled(bridge, Duration.ofSeconds(60));
                bridge.stop();
                List<StreamRecord> records = sink.records(FaultRig.STREAM);
                FaultLedger ledger = FaultLedger.of(
                                "SIGKILL of the bridge during HTTP load (1,000 events/s), twice, restarted",
                                load.taken,
                                records,
                                bridge.home().resolve("dead-letter"),
                                kills + " kills with " + inFlightAtKills
                                        + " events in unanswered requests; client resent "
                                        + load.connectionErrors.get() + " requests after connection errors; "
                                        + "last run: " + settled.summary())
                        .report();
                ledger.assertNothingLost();
                assertThat(ledger.deadLettered()).isZero();
                // only events in requests without an answer at a kill can have reached Kinesis and been sent again
                assertThat(ledger.duplicated()).isLessThanOrEqualTo(inFlightAtKills);
            }
        }
    }
}
