package io.kinesisbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The bridge in a child JVM (io.kinesisbridge.app.JournaledBridgeMain on this test's class path), so that a
 * test can kill it with SIGKILL and start it again. What the backend accepted is in the journal file.
 */
public final class ChildBridge implements AutoCloseable {

    private final Process process;
    private final Path output;

    private ChildBridge(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    public static ChildBridge start(Path workDir, Path journal, Map<String, String> settings) {
        // under failsafe, the shaded jar itself (bridge.jar) with the test classes for the journal; else the test class path
        String jar = System.getProperty("bridge.jar");
        String classPath = jar != null && Files.isRegularFile(Path.of(jar))
                ? jar + java.io.File.pathSeparator + Path.of("target", "test-classes").toAbsolutePath()
                : System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Djournal=" + journal, "-cp", classPath,
                "io.kinesisbridge.app.JournaledBridgeMain"));
        // no fixed ports in tests: the endpoint and the management server take free ones unless told otherwise
        Map<String, String> all = new java.util.LinkedHashMap<>(Map.of("bridge.endpoint.port", "0", "bridge.management.port", "0",
                "bridge.spool.dir", workDir.resolve("spool").toString()));
        all.putAll(settings);
        all.forEach((k, v) -> command.add("--" + k + "=" + v));
        try {
            Path output = Files.createTempFile(workDir, "bridge-", ".out");
            Process p = new ProcessBuilder(command).directory(Path.of("").toAbsolutePath().toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            return new ChildBridge(p, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no last checkpoint. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "";
        }
    }

    /** The data of every record the backend accepted so far, in journal order, as UTF-8 text. */
    public static List<String> journal(Path journal, String stream) {
        List<String> data = new ArrayList<>();
        if (!Files.exists(journal)) {
            return data;
        }
        try {
            for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
                String[] parts = line.split("\t", -1);
                if (parts.length == 3 && parts[0].equals(stream)) {
                    data.add(new String(Base64.getDecoder().decode(parts[2]), StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return data;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
