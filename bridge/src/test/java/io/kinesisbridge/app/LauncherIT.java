package io.kinesisbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.testing.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/kinesis-bridge, the README's run command: a first run writes the class-data-sharing archive when it stops, the
 * next run maps it; --help writes none. Runs on a copy of the jar so that the archive lands in the test's directory.
 */
@Tag("slow")
class LauncherIT {

    @TempDir
    Path dir;

    private Path jar() throws IOException {
        Path built = Path.of(System.getProperty("bridge.jar", "target/kinesis-bridge.jar"));
        assertThat(built).as("the jar is built before the integration tests").isRegularFile();
        Path copy = dir.resolve("kinesis-bridge.jar");
        Files.copy(built, copy);
        return copy;
    }

    private List<Path> archives() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jsa"))
                    .toList();
        }
    }

    private Process launch(Path jar, int management, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of("bin/kinesis-bridge").toAbsolutePath().toString(),
                "--config",
                Path.of("config/application.properties").toAbsolutePath().toString(),
                "--routes",
                Path.of("routes").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        if (management > 0) {
            command.addAll(List.of(
                    "--bridge.http.enabled=false",
                    "--bridge.syslog.enabled=false",
                    "--bridge.file.enabled=false",
                    "--bridge.endpoint.port=0",
                    "--bridge.progress-interval-seconds=0",
                    "--bridge.management.port=" + management,
                    "--bridge.dead-letter.dir=" + dir.resolve("dead-letter"),
                    "--bridge.spool.dir=" + dir.resolve("spool")));
        }
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(
                        dir.resolve("launcher-" + System.nanoTime() + ".log").toFile());
        pb.environment().put("KINESIS_BRIDGE_JAR", jar.toString());
        return pb.start();
    }

    private static boolean ready(int port) {
        try {
            return HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create("http://127.0.0.1:" + port + "/observe/health/ready"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void runUntilReadyThenStop(Path jar) throws Exception {
        int management = FreePorts.tcp();
        Process p = launch(jar, management);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> ready(management) || !p.isAlive());
            assertThat(p.isAlive()).as("the bridge runs").isTrue();
        } finally {
            p.destroy(); // SIGTERM: a normal exit, at which the JVM writes the archive
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void firstRunWritesTheArchive_nextRunMapsIt_helpWritesNone() throws Exception {
        Path jar = jar();

        Process help = launch(jar, 0, "--help");
        assertThat(help.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(archives()).as("--help is too short a run to archive").isEmpty();

        runUntilReadyThenStop(jar);
        assertThat(archives())
                .as("the first run's archive, named after the jar")
                .hasSize(1);
        Path archive = archives().get(0);
        assertThat(archive.getFileName().toString()).startsWith("kinesis-bridge-" + Files.size(jar) + "-");

        int management = FreePorts.tcp();
        Process second = launch(jar, management);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> ready(management) || !second.isAlive());
            assertThat(second.isAlive()).isTrue();
            assertThat(second.info().arguments().map(List::of).orElse(List.of()))
                    .contains("-XX:SharedArchiveFile=" + archive);
        } finally {
            second.destroy();
            second.waitFor(60, TimeUnit.SECONDS);
        }
        assertThat(archives()).containsExactly(archive);
    }
}
