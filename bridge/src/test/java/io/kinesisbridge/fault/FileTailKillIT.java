package io.kinesisbridge.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.backend.memory.StreamRecord;
import io.kinesisbridge.testing.Accounting;
import io.kinesisbridge.testing.BridgeProcess;
import io.kinesisbridge.testing.FaultLedger;
import io.kinesisbridge.testing.FaultRig;
import io.kinesisbridge.testing.FreePorts;
import io.kinesisbridge.testing.KinesisSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of the bridge (its own JVM, AWS backend, Kinesis a second process) twice while it tails a log that is
 * written on and rotated (rename-and-create, then copy-truncate), started again each time: every line written is
 * in Kinesis; duplicates are only lines put but not yet checkpointed at a kill.
 */
@Tag("slow")
class FileTailKillIT {

    private static final int LINES = 20_000;
    private static final int BATCH = 500;

    @TempDir
    Path dir;

    @Test
    void sigkillDuringFileTailing_thenRestart_losesNothing() throws Exception {
        Path logs = dir.resolve("logs");
        Files.createDirectories(logs);
        Set<String> written = ConcurrentHashMap.newKeySet();
        try (KinesisSink sink = KinesisSink.start(dir, FaultRig.STREAM + ":2", Map.of())) {
            Map<String, String> settings = new LinkedHashMap<>(FaultRig.bridgeOnSink(sink, FreePorts.tcp()));
            settings.put("bridge.http.enabled", "false");
            settings.put("bridge.file.enabled", "true");
            settings.put("bridge.file.stream", FaultRig.STREAM);
            settings.put("bridge.file.paths", logs + "/*.log");
            settings.put("bridge.file.start-at", "beginning");
            settings.put("bridge.file.poll-ms", "50");
            settings.put("bridge.file.rotate-wait-ms", "500");
            settings.put("bridge.dispatch.max-batch-records", String.valueOf(BATCH));
            int kills = 0;
            try (BridgeProcess bridge = BridgeProcess.start(dir, "bridge", settings)) {
                bridge.awaitReady(Duration.ofSeconds(60));
                CompletableFuture<Void> writer =
                        CompletableFuture.runAsync(() -> write(logs.resolve("app.log"), written, bridge::isReady));
                for (int threshold : new int[] {2_000, 10_500}) {
                    await().atMost(Duration.ofSeconds(60)).until(() -> written.size() >= threshold);
                    bridge.kill();
                    kills++;
                    bridge.restart();
                    bridge.awaitReady(Duration.ofSeconds(60));
                }
                writer.get(120, TimeUnit.SECONDS);
                // the last run's own accounting settles once the tailer has read to the end of every file
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> Accounting.of(bridge.metricsText(), FaultRig.STREAM)
                                .summary()
                                .equals(settledTwice(bridge)));
                Accounting settled = FaultRig.awaitSettled(bridge, Duration.ofSeconds(60));
                bridge.stop();
                List<StreamRecord> records = sink.records(FaultRig.STREAM);
                FaultLedger ledger = FaultLedger.of(
                                "SIGKILL of the bridge during file tailing with rotations, twice, restarted",
                                written,
                                records,
                                bridge.home().resolve("dead-letter"),
                                kills + " kills; rename-and-create at 7,500 lines, copy-truncate at 16,000; last run: "
                                        + settled.summary())
                        .report();
                ledger.assertNothingLost();
                assertThat(ledger.deadLettered()).isZero();
                // at each kill at most the batches of the live file and of a rotated one are put but not checkpointed
                assertThat(ledger.duplicated()).isLessThanOrEqualTo((long) kills * 2 * BATCH * 8);
            }
        }
    }

    /** The accounting read again a second later: equal when nothing more is coming in. */
    private static String settledTwice(BridgeProcess bridge) {
        LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
        return Accounting.of(bridge.metricsText(), FaultRig.STREAM).summary();
    }

    /**
     * LINES JSON lines at about 1,000 a second, in chunks of 100; a line counts as written once it is on disk. Each
     * rotation waits until the bridge is up and has had a second to read, so that it never comes while the bridge is
     * down (a file rotated away entirely meanwhile is a documented limit, see FileTailKillTest): on a loaded machine a
     * restart can take longer than the whole run of writes.
     */
    private static void write(Path log, Set<String> written, BooleanSupplier bridgeReady) {
        try {
            StringBuilder chunk = new StringBuilder();
            int from = 0;
            for (int i = 0; i < LINES; i++) {
                chunk.append("{\"id\":\"l")
                        .append(i)
                        .append("\",\"level\":\"INFO\",\"msg\":\"line ")
                        .append(i)
                        .append("\"}\n");
                if (i % 100 == 99) {
                    Files.writeString(
                            log, chunk, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    for (int j = from; j <= i; j++) {
                        written.add("l" + j);
                    }
                    from = i + 1;
                    chunk.setLength(0);
                    LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
                }
                if (i == 7_500 - 1) {
                    awaitReading(bridgeReady);
                    Files.move(log, log.resolveSibling("app.log.1"));
                }
                if (i == 16_000 - 1) {
                    awaitReading(bridgeReady);
                    // the writer is the only one writing, so nothing is written between the copy and the truncation
                    Files.copy(log, log.resolveSibling("app.log.2"));
                    try (var channel = Files.newByteChannel(log, StandardOpenOption.WRITE)) {
                        channel.truncate(0);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitReading(BooleanSupplier bridgeReady) {
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(bridgeReady::getAsBoolean);
        LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
    }
}
