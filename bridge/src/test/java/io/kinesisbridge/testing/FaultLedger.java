package io.kinesisbridge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kinesisbridge.backend.memory.StreamRecord;
import io.kinesisbridge.deadletter.DeadLetterJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a fault scenario did to the records: sent (distinct records the bridge took from the source), acknowledged
 * (distinct records Kinesis holds), dead-lettered (distinct records in the dead-letter files), duplicated (copies in
 * Kinesis past the first), lost (taken, and neither in Kinesis nor in the dead-letter files). Each scenario appends
 * its row to target/fault-report.md.
 */
public record FaultLedger(
        String scenario, long sent, long acknowledged, long deadLettered, long duplicated, long lost, String notes) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The ledger of events identified by their JSON field {@code id}. */
    public static FaultLedger of(
            String scenario, Set<String> taken, List<StreamRecord> inKinesis, Path deadLetterDir, String notes) {
        Map<String, Integer> copies = new HashMap<>();
        for (StreamRecord r : inKinesis) {
            copies.merge(idOf(new String(r.data(), StandardCharsets.UTF_8)), 1, Integer::sum);
        }
        Set<String> dead = deadLettered(deadLetterDir);
        long duplicated = copies.values().stream().mapToLong(c -> c - 1).sum();
        Set<String> lost = new HashSet<>(taken);
        lost.removeAll(copies.keySet());
        lost.removeAll(dead);
        Set<String> acknowledged = new HashSet<>(copies.keySet());
        acknowledged.retainAll(taken);
        return new FaultLedger(
                scenario, taken.size(), acknowledged.size(), dead.size(), duplicated, lost.size(), notes);
    }

    static String idOf(String json) {
        try {
            return JSON.readTree(json).path("id").asText(json);
        } catch (IOException e) {
            return json;
        }
    }

    /** The ids of the records in every dead-letter file of the directory. */
    public static Set<String> deadLettered(Path dir) {
        Set<String> ids = new HashSet<>();
        if (!Files.isDirectory(dir)) {
            return ids;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        ids.add(idOf(
                                new String(DeadLetterJson.read(line).request().data(), StandardCharsets.UTF_8)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ids;
    }

    public FaultLedger report() {
        String row = String.format(
                "| %s | %d | %d | %d | %d | %d | %s |%n",
                scenario, sent, acknowledged, deadLettered, duplicated, lost, notes);
        System.out.print("fault ledger " + row);
        try {
            Path report = Path.of("target", "fault-report.md");
            if (!Files.exists(report)) {
                Files.writeString(
                        report,
                        "| scenario | sent | acknowledged | dead-lettered | duplicated | lost | notes |\n"
                                + "|---|---:|---:|---:|---:|---:|---|\n");
            }
            Files.writeString(report, row, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public FaultLedger assertNothingLost() {
        assertThat(lost).as("records lost: %s", this).isZero();
        assertThat(acknowledged + deadLettered)
                .as("every record sent is in Kinesis or dead-lettered: %s", this)
                .isGreaterThanOrEqualTo(sent);
        return this;
    }
}
