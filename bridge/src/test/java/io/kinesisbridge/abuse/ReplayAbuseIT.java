package io.kinesisbridge.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.kinesisbridge.deadletter.DeadLetter;
import io.kinesisbridge.deadletter.DeadLetterJson;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.PutRequest;
import io.kinesisbridge.testing.EndpointReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 15: {@code replay --from dead-letter:FILE --to clickstream} as the README shows it, run as its own
 * process beside a running bridge with the default in-memory backend: the fixable record must arrive in the
 * bridge's stream, the output must say where it went, the input must not grow, and a second run must not find
 * the records rejected by the first appended to its input.
 */
@Tag("slow")
class ReplayAbuseIT {

    @Test
    void replayOfADeadLetterFile_asTheReadmeShowsIt_arrivesInTheRunningBridge_andNeverAppendsToItsInput(
            @TempDir Path dir) throws Exception {
        try (AbuseRig rig = AbuseRig.start(dir, "replay", Map.of())) {
            Path input = rig.deadLetterDir().resolve("clickstream.ndjson");
            Files.createDirectories(input.getParent());
            String fixable = rig.marker();
            String hopeless = rig.marker();
            List<String> lines = List.of(
                    DeadLetterJson.write(new DeadLetter(
                            Instant.now(),
                            "clickstream",
                            new PutRequest(
                                    "clickstream",
                                    "u1",
                                    ("{\"userId\":\"u1\",\"id\":\"" + fixable + "\"}").getBytes(StandardCharsets.UTF_8),
                                    null,
                                    null),
                            new KinesisError("ServiceUnreachable", "Kinesis could not be reached"),
                            10)),
                    DeadLetterJson.write(new DeadLetter(
                            Instant.now(),
                            "clickstream",
                            new PutRequest(
                                    "clickstream",
                                    null,
                                    ("{\"id\":\"" + hopeless + "\"}").getBytes(StandardCharsets.UTF_8),
                                    null,
                                    null),
                            new KinesisError("MissingPartitionKey", "No partition key"),
                            0)));
            Files.write(input, lines);

            Run first = replay(rig, input);
            List<String> afterFirst = Files.readAllLines(input);
            Run second = replay(rig, input);
            List<String> afterSecond = Files.readAllLines(input);

            List<String> arrived = new EndpointReader(rig.endpointPort())
                    .readAll("clickstream").stream()
                            .map(EndpointReader.Read::data)
                            .filter(d -> d.contains(fixable))
                            .toList();
            String observed =
                    "exit " + first.status + "/" + second.status + ", input " + lines.size() + "→" + afterFirst.size()
                            + "→" + afterSecond.size() + " lines, fixed record in stream " + arrived.size()
                            + "x (once per run), "
                            + "replay dead-letter dirs " + replayDirs(rig).size();
            AbuseLedger.row(
                            "replay --from dead-letter:… --to clickstream (README), twice",
                            "records in the running bridge, output says where, input never appended to",
                            observed,
                            rig)
                    .check();
            assertThat(first.output)
                    .contains("the running bridge's Kinesis endpoint http://127.0.0.1:" + rig.endpointPort())
                    .contains("stream clickstream: 2 sent, 1 acknowledged, 1 dead-lettered")
                    .contains("replay-");
            assertThat(first.status).isEqualTo(1);
            assertThat(arrived).hasSize(2);
            assertThat(afterFirst).isEqualTo(lines);
            assertThat(afterSecond).isEqualTo(lines);
            assertThat(replayDirs(rig)).hasSize(2).allSatisfy(d -> {
                List<String> rejected = Files.readAllLines(d.resolve("clickstream.ndjson"));
                assertThat(rejected).hasSize(1);
                assertThat(new String(
                                DeadLetterJson.read(rejected.get(0)).request().data(), StandardCharsets.UTF_8))
                        .contains(hopeless);
            });
        }
    }

    private record Run(int status, String output) {}

    /** java -jar kinesis-bridge.jar replay --from dead-letter:dead-letter/clickstream.ndjson --to clickstream, in the bridge's directory. */
    private static Run replay(AbuseRig rig, Path input) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m"));
        String jar = System.getProperty("bridge.jar");
        if (jar != null && Files.isRegularFile(Path.of(jar))) {
            command.addAll(List.of("-jar", Path.of(jar).toAbsolutePath().toString()));
        } else {
            command.addAll(List.of(
                    "-cp",
                    System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                    "io.kinesisbridge.app.BridgeMain"));
        }
        command.addAll(List.of(
                "replay",
                "--from",
                "dead-letter:" + rig.home().relativize(input),
                "--to",
                "clickstream",
                "--config",
                Path.of("config/application.properties").toAbsolutePath().toString(),
                "--bridge.endpoint.port=" + rig.endpointPort(),
                "--bridge.dead-letter.dir=" + rig.deadLetterDir()));
        Path log = Files.createTempFile(rig.home(), "replay-", ".out");
        Process p = new ProcessBuilder(command)
                .directory(rig.home().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("replay still running after 120 s: " + Files.readString(log));
        }
        return new Run(p.exitValue(), Files.readString(log));
    }

    private static List<Path> replayDirs(AbuseRig rig) throws IOException {
        try (Stream<Path> all = Files.list(rig.deadLetterDir())) {
            return all.filter(Files::isDirectory)
                    .filter(d -> d.getFileName().toString().startsWith("replay-"))
                    .toList();
        }
    }
}
