package io.kinesisbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * For the benchmark's own Camel routes (the floor, the peer): a route reading files from {@link #inbox} calls
 * {@link #fileStarted()} before it splits a file and {@link #fileDone()} after; {@link #measure} hands the route a
 * warm-up file, waits for it, then the measured file, and prints the measured file's figures as a result line.
 */
final class FileRun {

    final Path inbox;
    private final long self = ProcessHandle.current().pid();
    private final BlockingQueue<double[]> done = new LinkedBlockingQueue<>();
    private volatile long startNanos;
    private volatile double startCpu;

    FileRun(Path inbox) throws IOException {
        this.inbox = Files.createDirectories(inbox);
    }

    void fileStarted() {
        startNanos = System.nanoTime();
        startCpu = Proc.cpuSeconds(self);
    }

    void fileDone() {
        done.add(new double[] {(System.nanoTime() - startNanos) / 1e9, Proc.cpuSeconds(self) - startCpu});
    }

    /** Prints {@code BENCH <label> RECORDS SECONDS CPU_SECONDS PEAK_RSS_MIB} for {@code file}. */
    void measure(String label, Path warmup, Path file, long records) throws IOException, InterruptedException {
        Files.createLink(inbox.resolve(warmup.getFileName()), warmup.toAbsolutePath());
        done.take();
        Files.createLink(inbox.resolve(file.getFileName()), file.toAbsolutePath());
        double[] r = done.take();
        System.out.printf(
                Locale.ROOT,
                "%s%s %d %.3f %.3f %.1f%n",
                Child.RESULT_PREFIX,
                label,
                records,
                r[0],
                r[1],
                Proc.peakRssMiB(self));
    }

    static long lines(Path file) throws IOException {
        try (var lines = Files.lines(file)) {
            return lines.count();
        }
    }
}
