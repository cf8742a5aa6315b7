package io.kinesisbridge.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A program the benchmark starts in a process of its own (a bridge, a floor, the peer, the sink): its output goes to
 * a log file, and lines starting with {@code BENCH } are also handed to the benchmark as results.
 */
final class Child implements AutoCloseable {

    static final String RESULT_PREFIX = "BENCH ";
    /** Every process started, so that none outlives the benchmark when it is stopped. */
    private static final Set<Process> STARTED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly), "stop children"));
    }

    private final String name;
    private final Process process;
    private final Path log;
    private final long startNanos;
    private final BlockingQueue<String> results = new LinkedBlockingQueue<>();
    private final PrintWriter input;

    private Child(String name, Process process, Path log, long startNanos) throws IOException {
        this.name = name;
        this.process = process;
        this.log = log;
        this.startNanos = startNanos;
        this.input = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
        Thread pump = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(
                                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                            out) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            out.write(line);
                            out.write('\n');
                            if (line.startsWith(RESULT_PREFIX)) {
                                out.flush();
                                results.add(line.substring(RESULT_PREFIX.length()));
                            }
                        }
                    } catch (IOException e) {
                        // the process went away
                    }
                },
                "output of " + name);
        pump.setDaemon(true);
        pump.start();
    }

    static Child start(String name, List<String> command, Path workDir, Path logDir) throws IOException {
        Files.createDirectories(workDir);
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .start();
        STARTED.add(p);
        return new Child(name, p, log, start);
    }

    /** {@code java [jvmArgs] -cp <this JVM's class path> mainClass args}: a main of the benchmark's own. */
    static Child java(String name, List<String> jvmArgs, Class<?> main, List<String> args, Path workDir, Path logDir)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(args);
        return start(name, cmd, workDir, logDir);
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    long pid() {
        return process.pid();
    }

    long startNanos() {
        return startNanos;
    }

    boolean alive() {
        return process.isAlive();
    }

    double cpuSeconds() {
        return Proc.cpuSeconds(pid());
    }

    double peakRssMiB() {
        return Proc.peakRssMiB(pid());
    }

    Path log() {
        return log;
    }

    void send(String line) {
        input.println(line);
    }

    /** The next result line ({@code BENCH ...}) that matches, waiting at most {@code timeout}. */
    String awaitResult(Predicate<String> matching, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException(name + ": no result within " + timeout + "; see " + log);
            }
            String line = results.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
            if (line != null && matching.test(line)) {
                return line;
            }
            if (line == null && !process.isAlive() && results.isEmpty()) {
                throw new IllegalStateException(
                        name + " exited with " + process.exitValue() + " before its result; see " + log);
            }
        }
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ")";
    }
}
