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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full spool: Kinesis (a second process) is away while HTTP load goes on, and the spool is capped at 1 MiB
 * (bridge.spool.max-bytes; a real full disk, ENOSPC, is simulated at the FileChannel in StreamDispatcherSpoolTest,
 * since filling a filesystem needs root or a disk of its own). When the spool and then the memory budget are
 * full the bridge answers 503 and takes nothing more; nothing is dropped, and once Kinesis is back every event it
 * took arrives.
 */
@Tag("slow")
class SpoolFullIT {

    private static final long SPOOL_CAP = 1L << 20;

    @TempDir
    Path dir;

    @Test
    void spoolFull_theSourceIsRefused_nothingIsDropped_andEverythingTakenArrives() throws Exception {
        int httpPort = FreePorts.tcp();
        try (KinesisSink sink = KinesisSink.start(dir, FaultRig.STREAM + ":2", Map.of())) {
            Map<String, String> settings = FaultRig.bridgeOnSink(sink, httpPort);
            settings.put("bridge.spool.max-bytes", String.valueOf(SPOOL_CAP));
            settings.put("bridge.dispatch.max-pending-bytes", String.valueOf(256 << 10));
            settings.put("bridge.retry.max-attempts", "3");
            settings.put("bridge.retry.max-delay-ms", "500");
            try (BridgeProcess bridge = BridgeProcess.start(dir, "bridge", settings)) {
                bridge.awaitReady(Duration.ofSeconds(60));
                Set<String> taken;
                long maxSpoolBytes = 0;
                try (HttpLoad load = HttpLoad.start("http://127.0.0.1:" + httpPort + "/clickstream", 1000, 25)) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> load.taken.size() >= 1_000);
                    sink.stop();
                    // ~90 bytes an event: 1 MiB of spool is some 11,000 events, then 503s
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> load.refusedRequests.get() + load.refusedEvents.get() > 100);
                    for (int i = 0; i < 10; i++) {
                        maxSpoolBytes = Math.max(maxSpoolBytes, spoolBytes(bridge));
                        Accounting.of(bridge.metricsText(), FaultRig.STREAM).assertBalances();
                        Thread.sleep(300);
                    }
                    int takenWhileFull = load.taken.size();
                    Thread.sleep(2_000);
                    assertThat(load.taken.size() - takenWhileFull)
                            .as("a full spool takes nothing more")
                            .isLessThan(200);
                    sink.restart(Map.of());
                    load.awaitDrained(Duration.ofSeconds(90));
                    assertThat(load.stillHeld())
                            .as(() -> load.describe() + "\n"
                                    + bridge.metricsText()
                                            .lines()
                                            .filter(l -> l.startsWith("kinesis_bridge_records")
                                                    || l.startsWith("kinesis_bridge_spool"))
                                            .toList())
                            .isEmpty();
                    taken = Set.copyOf(load.taken);
                    Accounting settled = FaultRig.awaitSettled(bridge, Duration.ofSeconds(60));
                    String blocked =
                            "refused " + load.refusedRequests.get() + " requests (503) and " + load.refusedEvents.get()
                                    + " events (BridgeSaturated) while full; largest spool seen " + maxSpoolBytes
                                    + " bytes (cap "
                                    + SPOOL_CAP + "); " + settled.summary();
                    bridge.stop();
                    List<StreamRecord> records = sink.records(FaultRig.STREAM);
                    FaultLedger ledger = FaultLedger.of(
                                    "Full spool (capped at 1 MiB) while Kinesis is away, HTTP 1,000 events/s",
                                    taken,
                                    records,
                                    bridge.home().resolve("dead-letter"),
                                    blocked)
                            .report();
                    ledger.assertNothingLost();
                    assertThat(ledger.deadLettered()).isZero();
                    assertThat(maxSpoolBytes).isLessThanOrEqualTo(SPOOL_CAP + 4096);
                    assertThat(load.refusedRequests.get() + load.refusedEvents.get())
                            .isPositive();
                }
            }
        }
    }

    /** Bytes of the spool's segment files on disk. */
    private static long spoolBytes(BridgeProcess bridge) throws Exception {
        Path spool = bridge.home().resolve("spool");
        if (!Files.isDirectory(spool)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(spool)) {
            return files.filter(f -> f.toString().endsWith(".seg"))
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        }
    }
}
