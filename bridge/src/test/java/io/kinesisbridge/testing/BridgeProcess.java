package io.kinesisbridge.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * The bridge as users run it, in its own JVM: {@code java -jar target/kinesis-bridge.jar} under failsafe (which sets
 * bridge.jar), else {@code io.kinesisbridge.app.BridgeMain} on this test's class path. Started with the shipped
 * routes, its output in a file, its ports chosen by the test; it can be stopped (SIGTERM: a graceful stop) or
 * killed (SIGKILL) and started again on the same settings. {@link #startJournaled} runs it with its backend's
 * acceptances written to a journal file, for tests that count what a killed bridge delivered.
 */
public final class BridgeProcess implements AutoCloseable {

    private final String name;
    private final Path workDir;
    private final Map<String, String> settings;
    private final int managementPort;
    private final List<String> jvmOptions;
    private final String mainClass;
    private Process process;
    private Path output;
    private int starts;

    private BridgeProcess(
            String name, Path workDir, Map<String, String> settings, List<String> jvmOptions, String mainClass) {
        this.name = name;
        this.workDir = workDir;
        this.settings = settings;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.mainClass = mainClass;
        this.managementPort = Integer.parseInt(settings.get("bridge.management.port"));
    }

    /**
     * Starts a bridge named {@code name} (its data under {@code workDir/name}); {@code settings} override the
     * defaults below: every source off, free ports for the endpoint and the management server, data directories of
     * its own, progress lines off.
     */
    public static BridgeProcess start(Path workDir, String name, Map<String, String> settings) {
        return start(workDir, name, settings, List.of("-Xmx384m"));
    }

    /** As {@link #start(Path, String, Map)}, with these JVM options (heap size and the like). */
    public static BridgeProcess start(
            Path workDir, String name, Map<String, String> settings, List<String> jvmOptions) {
        return start(workDir, name, settings, jvmOptions, null);
    }

    /**
     * As {@link #start(Path, String, Map)}, but io.kinesisbridge.app.JournaledBridgeMain: every record the backend
     * accepts is appended to {@code journal} ({@link JournalConfiguration#records} reads it) before any source hears
     * of it. The journal outlives a killed bridge: it stands for what Kinesis holds.
     */
    public static BridgeProcess startJournaled(Path workDir, String name, Path journal, Map<String, String> settings) {
        return start(
                workDir,
                name,
                settings,
                List.of("-Xmx256m", "-Djournal=" + journal.toAbsolutePath()),
                "io.kinesisbridge.app.JournaledBridgeMain");
    }

    private static BridgeProcess start(
            Path workDir, String name, Map<String, String> settings, List<String> jvmOptions, String mainClass) {
        Path home = workDir.resolve(name);
        Map<String, String> all = new LinkedHashMap<>();
        all.put("bridge.http.enabled", "false");
        all.put("bridge.file.enabled", "false");
        all.put("bridge.syslog.enabled", "false");
        all.put("bridge.mqtt.enabled", "false");
        all.put("bridge.endpoint.port", String.valueOf(FreePorts.tcp()));
        all.put("bridge.management.port", String.valueOf(FreePorts.tcp()));
        all.put("bridge.dead-letter.dir", home.resolve("dead-letter").toString());
        all.put("bridge.spool.dir", home.resolve("spool").toString());
        all.put("bridge.file.inbox", home.resolve("inbox").toString());
        all.put("bridge.file.checkpoint-file", home.resolve("checkpoints.json").toString());
        all.put("bridge.progress-interval-seconds", "0");
        all.putAll(settings);
        BridgeProcess p = new BridgeProcess(name, home, all, jvmOptions, mainClass);
        p.launch();
        return p;
    }

    private void launch() {
        try {
            Files.createDirectories(workDir);
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java));
            command.addAll(jvmOptions);
            command.add("-XX:TieredStopAtLevel=1");
            String jar = System.getProperty("bridge.jar");
            boolean shippedJar = jar != null && Files.isRegularFile(Path.of(jar));
            if (mainClass != null) {
                // the journal's classes are test classes: beside the shaded jar under failsafe, else the test class
                // path
                String classPath = shippedJar
                        ? Path.of(jar).toAbsolutePath() + File.pathSeparator + testClasses()
                        : System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
                command.addAll(List.of("-cp", classPath, mainClass));
            } else if (shippedJar) {
                command.addAll(List.of("-jar", Path.of(jar).toAbsolutePath().toString()));
            } else {
                // the shipped logging (ConsoleLogging's, as XML), not the tests' quieter one: the output is what users
                // see
                command.addAll(List.of(
                        "-Dlogback.configurationFile=" + shippedLogging(),
                        "-cp",
                        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                        "io.kinesisbridge.app.BridgeMain"));
            }
            command.addAll(List.of(
                    "--routes",
                    Path.of("routes").toAbsolutePath().toString(),
                    "--config",
                    Path.of("config/application.properties").toAbsolutePath().toString()));
            settings.forEach((k, v) -> command.add("--" + k + "=" + v));
            output = workDir.resolve(name + "-" + (++starts) + ".log");
            process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path shippedLogging() throws IOException {
        Path file = workDir.resolve("logback-shipped.xml");
        Files.writeString(file, """
                <configuration>
                  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="org.apache.camel" level="${kinesis.bridge.camel.log-level:-WARN}"/>
                  <logger name="io.vertx" level="WARN"/>
                  <logger name="io.netty" level="WARN"/>
                  <root level="INFO"><appender-ref ref="STDOUT"/></root>
                </configuration>
                """);
        return file;
    }

    /** Starts it again with the same settings (ports, directories) after a stop or a kill. */
    public void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        launch();
    }

    public String setting(String key) {
        return settings.get(key);
    }

    /** Whether it runs and its readiness answers 200 now. */
    public boolean isReady() {
        try {
            return process.isAlive() && get("/observe/health/ready").statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until the management server answers readiness with 200 (every route and the backend ready). */
    public BridgeProcess awaitReady(Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited: " + tail());
            }
            try {
                return get("/observe/health/ready").statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        return this;
    }

    /** Waits until the management server answers at all (the bridge is up, ready or not). */
    public BridgeProcess awaitUp(Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited: " + tail());
            }
            try {
                get("/observe/health/live");
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return this;
    }

    public HttpResponse<String> get(String path) throws IOException {
        try {
            return HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2))
                    .build()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The Prometheus text of /observe/metrics. */
    public String metricsText() {
        try {
            return get("/observe/metrics").body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no flush. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait: the bridge's graceful stop. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits up to {@code atMost} for the process to end; its exit status, or empty while it still runs. */
    public OptionalInt awaitExit(Duration atMost) throws InterruptedException {
        return process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)
                ? OptionalInt.of(process.exitValue())
                : OptionalInt.empty();
    }

    public Path home() {
        return workDir;
    }

    /** Everything every run of this bridge wrote to stdout and stderr, runs in order. */
    public String output() {
        StringBuilder all = new StringBuilder();
        for (int i = 1; i <= starts; i++) {
            try {
                all.append(Files.readString(workDir.resolve(name + "-" + i + ".log")));
            } catch (IOException e) {
                all.append("(no output of run ").append(i).append(")\n");
            }
        }
        return all.toString();
    }

    public String tail() {
        String all = output();
        return all.length() > 6000 ? all.substring(all.length() - 6000) : all;
    }

    /** Keeps this bridge's output in target/fault-logs, for a look after a failed run. */
    private void keepOutput() {
        try {
            Path logs = Path.of("target", "fault-logs");
            Files.createDirectories(logs);
            String test = workDir.getParent() == null
                    ? "run"
                    : workDir.getParent().getFileName().toString();
            Files.writeString(logs.resolve(test + "-" + name + ".log"), output());
        } catch (IOException e) {
            // the logs are a convenience
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
        keepOutput();
    }

    /** The directory this class was loaded from: the bridge module's test classes, wherever the tests run. */
    private static Path testClasses() {
        try {
            return Path.of(BridgeProcess.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
