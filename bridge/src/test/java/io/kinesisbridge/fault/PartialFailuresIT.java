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
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kinesis (a second bridge process, bridge.endpoint.fault.entry-rate=0.2) fails a fifth of the PutRecords entries
 * with InternalFailure while writing the rest: the bridge resends only the failed entries, and every event arrives
 * once.
 */
@Tag("slow")
class PartialFailuresIT {

    @TempDir
    Path dir;

    @Test
    void aFifthOfPutRecordsEntriesFail_onlyThoseAreResent_everythingArrivesOnce() throws Exception {
        int httpPort = FreePorts.tcp();
        try (KinesisSink sink = KinesisSink.start(
                        dir,
                        FaultRig.STREAM + ":2",
                        Map.of(
                                "bridge.endpoint.fault.entry-rate",
                                "0.2",
                                // InternalFailure: throttling makes the bridge slow down on purpose, which
                                // ThrottlingStormIT covers
                                "bridge.endpoint.fault.errors",
                                "InternalFailure",
                                "bridge.endpoint.fault.seed",
                                "7"));
                BridgeProcess bridge = BridgeProcess.start(dir, "bridge", FaultRig.bridgeOnSink(sink, httpPort))) {
            bridge.awaitReady(Duration.ofSeconds(60));
            Set<String> taken;
            try (HttpLoad load = HttpLoad.start("http://127.0.0.1:" + httpPort + "/clickstream", 1000, 50)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> load.generated.size() >= 15_000);
                load.awaitDrained(Duration.ofSeconds(60));
                assertThat(load.stillHeld())
                        .as(() -> load.describe() + "\n"
                                + bridge.metricsText()
                                        .lines()
                                        .filter(l -> l.startsWith("kinesis_bridge_records")
                                                || l.startsWith("kinesis_bridge_spool"))
                                        .toList())
                        .isEmpty();
                taken = Set.copyOf(load.taken);
            }
            Accounting settled = FaultRig.awaitSettled(bridge, Duration.ofSeconds(60));
            bridge.stop();
            List<StreamRecord> records = sink.records(FaultRig.STREAM);
            double retriedShare = (double) settled.retried() / settled.in();
            FaultLedger ledger = FaultLedger.of(
                            "Partial PutRecords failures: 20% of entries fail (InternalFailure), HTTP 1,000 events/s",
                            taken,
                            records,
                            bridge.home().resolve("dead-letter"),
                            String.format(
                                    "%d resends for %d records (%.1f%%; 25%% expected from " + "1/(1-0.2)-1); %s",
                                    settled.retried(), settled.in(), 100 * retriedShare, settled.summary()))
                    .report();
            ledger.assertNothingLost();
            assertThat(ledger.duplicated())
                    .as("a failed entry was not written: resending it makes no copy")
                    .isZero();
            assertThat(ledger.deadLettered()).isZero();
            assertThat(retriedShare).isBetween(0.15, 0.40);
        }
    }
}
