package io.kinesisbridge.fault;

import static org.assertj.core.api.Assertions.assertThat;

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
 * A throttling storm: for 60 s Kinesis (a second process) takes 50 records/s per shard while the bridge is offered
 * 500 events/s per shard (limits at 10 % of the offered load). Throttled records use up their retries (3 here)
 * and are spooled, so the HTTP clients keep being answered; when the storm ends (Kinesis back at full capacity) the
 * spool drains: every event arrives.
 */
@Tag("slow")
class ThrottlingStormIT {

    private static final int SHARDS = 2;
    private static final int LIMIT_PER_SHARD = 50;
    private static final int OFFERED = 1_000;

    @TempDir
    Path dir;

    @Test
    void shardLimitsAtATenthOfTheLoadFor60s_everythingArrivesOnceTheStormEnds() throws Exception {
        int httpPort = FreePorts.tcp();
        Map<String, String> storm = Map.of(
                "bridge.memory.shard-limits",
                "true",
                "bridge.memory.records-per-second",
                String.valueOf(LIMIT_PER_SHARD));
        try (KinesisSink sink = KinesisSink.start(dir, FaultRig.STREAM + ":" + SHARDS, storm)) {
            Map<String, String> settings = FaultRig.bridgeOnSink(sink, httpPort);
            settings.put("bridge.dispatch.shard-records-per-second", "3000"); // catch up fast once the storm is over
            // a short retry budget: throttled records reach the spool within seconds, and the HTTP answers stay quick
            settings.put("bridge.retry.max-attempts", "3");
            settings.put("bridge.retry.max-delay-ms", "1000");
            try (BridgeProcess bridge = BridgeProcess.start(dir, "bridge", settings)) {
                bridge.awaitReady(Duration.ofSeconds(60));
                try (HttpLoad load = HttpLoad.start("http://127.0.0.1:" + httpPort + "/clickstream", OFFERED, 25)) {
                    long start = System.nanoTime();
                    LockSupport.parkNanos(Duration.ofSeconds(60).toNanos());
                    Accounting inStorm =
                            Accounting.of(bridge.metricsText(), FaultRig.STREAM).assertBalances();
                    long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
                    int takenInStorm = load.taken.size();
                    load.stopOffering();
                    sink.restart(Map.of()); // the storm is over
                    load.awaitDrained(Duration.ofSeconds(60));
                    assertThat(load.stillHeld())
                            .as(() -> load.describe() + "\n"
                                    + bridge.metricsText()
                                            .lines()
                                            .filter(l -> l.startsWith("kinesis_bridge_records")
                                                    || l.startsWith("kinesis_bridge_spool"))
                                            .toList())
                            .isEmpty();
                    Accounting settled = FaultRig.awaitSettled(bridge, Duration.ofSeconds(120));
                    String throttled = metric(bridge.metricsText(), "kinesis_bridge_records_throttled_total");
                    bridge.stop();
                    List<StreamRecord> records = sink.records(FaultRig.STREAM);
                    FaultLedger ledger = FaultLedger.of(
                                    "Throttling storm: shard limits at 10% of the offered load (" + LIMIT_PER_SHARD
                                            + "/s per shard, " + OFFERED / SHARDS
                                            + " events/s offered per shard) for 60 s",
                                    load.taken,
                                    records,
                                    bridge.home().resolve("dead-letter"),
                                    takenInStorm + " events taken in " + seconds + " s of storm, "
                                            + inStorm.acknowledged()
                                            + " of them acknowledged during it, " + inStorm.spooled()
                                            + " in the spool at its end; "
                                            + throttled + " sends throttled; " + load.refusedRequests.get()
                                            + " requests answered 503; "
                                            + "after: " + settled.summary())
                            .report();
                    ledger.assertNothingLost();
                    assertThat(ledger.deadLettered()).isZero();
                    assertThat(inStorm.spooledTotal())
                            .as("throttling past the retry budget spools")
                            .isPositive();
                }
            }
        }
    }

    private static String metric(String text, String name) {
        return text.lines()
                .filter(l -> l.startsWith(name + "{") && l.contains("stream=\"" + FaultRig.STREAM + "\""))
                .map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .findFirst()
                .orElse("?");
    }
}
