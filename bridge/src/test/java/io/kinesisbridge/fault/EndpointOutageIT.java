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
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kinesis (a second process) stopped for 30 s in the middle of HTTP load and started again; while it is away
 * the bridge is also killed (SIGKILL) and started again. The bridge spools what Kinesis does not take, answers its
 * client, keeps the spool across the kill, and catches up once Kinesis is back: every event arrives.
 */
@Tag("slow")
class EndpointOutageIT {

    @TempDir
    Path dir;

    @Test
    void kinesisAwayFor30s_withABridgeKillMeanwhile_everythingArrivesAfterwards() throws Exception {
        int httpPort = FreePorts.tcp();
        try (KinesisSink sink = KinesisSink.start(dir, FaultRig.STREAM + ":2", Map.of())) {
            Map<String, String> settings = FaultRig.bridgeOnSink(sink, httpPort);
            settings.put("bridge.retry.max-delay-ms", "1000");
            try (BridgeProcess bridge = BridgeProcess.start(dir, "bridge", settings)) {
                bridge.awaitReady(Duration.ofSeconds(60));
                try (HttpLoad load = HttpLoad.start("http://127.0.0.1:" + httpPort + "/clickstream", 500, 25)) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> load.taken.size() >= 2_000);
                    long outage = System.nanoTime();
                    sink.stop();
                    int takenAtOutage = load.taken.size();
                    // the bridge spools, and keeps answering its client meanwhile
                    await().atMost(Duration.ofSeconds(20)).until(() -> load.spooled.size() >= 500);
                    Accounting beforeKill =
                            Accounting.of(bridge.metricsText(), FaultRig.STREAM).assertBalances();
                    assertThat(beforeKill.spooled()).isPositive();
                    bridge.kill();
                    bridge.restart();
                    bridge.awaitUp(Duration.ofSeconds(60));
                    await().atMost(Duration.ofSeconds(20))
                            .until(() -> Accounting.of(bridge.metricsText(), FaultRig.STREAM)
                                            .in()
                                    > 0);
                    Accounting afterKill =
                            Accounting.of(bridge.metricsText(), FaultRig.STREAM).assertBalances();
                    LockSupport.parkNanos(outage + Duration.ofSeconds(30).toNanos() - System.nanoTime());
                    int takenDuringOutage = load.taken.size() - takenAtOutage;
                    sink.restart(Map.of());
                    LockSupport.parkNanos(Duration.ofSeconds(5).toNanos());
                    load.awaitDrained(Duration.ofSeconds(60));
                    assertThat(load.stillHeld())
                            .as(() -> load.describe() + "\n"
                                    + bridge.metricsText()
                                            .lines()
                                            .filter(l -> l.startsWith("kinesis_bridge_records")
                                                    || l.startsWith("kinesis_bridge_spool"))
                                            .toList())
                            .isEmpty();
                    Accounting settled = FaultRig.awaitSettled(bridge, Duration.ofSeconds(90));
                    assertThat(settled.in())
                            .as("the restarted bridge found the spool of the killed one")
                            .isGreaterThanOrEqualTo(afterKill.in());
                    bridge.stop();
                    List<StreamRecord> records = sink.records(FaultRig.STREAM);
                    FaultLedger ledger = FaultLedger.of(
                                    "Kinesis stopped 30 s mid-stream (HTTP 500 events/s), bridge SIGKILLed "
                                            + "during the outage, both restarted",
                                    load.taken,
                                    records,
                                    bridge.home().resolve("dead-letter"),
                                    takenDuringOutage + " events taken during the outage (" + load.spooled.size()
                                            + " answered Spooled); "
                                            + "spool at the kill: " + beforeKill.spooled()
                                            + ", found by the restarted bridge: "
                                            + afterKill.spooled() + "; after catch-up: " + settled.summary())
                            .report();
                    ledger.assertNothingLost();
                    assertThat(ledger.deadLettered()).isZero();
                    assertThat(afterKill.spooled())
                            .as("spooled records survive the kill")
                            .isGreaterThanOrEqualTo(beforeKill.spooled());
                }
            }
        }
    }
}
