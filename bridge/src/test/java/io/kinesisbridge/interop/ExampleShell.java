package io.kinesisbridge.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One bash, in a network namespace of its own (so the examples' fixed ports 8080, 4567, 5514, 9876 and 1883 are free
 * and nothing leaves its loopback), fed an example README's ```sh blocks one after the other as a person would paste
 * them into one terminal: background jobs and their job numbers carry from block to block. A failing command is
 * reported by an ERR trap; what the blocks print, background jobs included, is kept.
 */
final class ExampleShell implements AutoCloseable {

    private static final Pattern SH_BLOCK = Pattern.compile("(?ms)^```sh\\n(.*?)^```");
    private static final String END = "@@block-end ";
    private static final String FAILED = "@@failed ";

    /** What a block printed, and the commands of it that failed (with their exit status). */
    record Outcome(String block, List<String> output, List<String> failures) {}

    private final Process bash;
    private final Writer input;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = new ArrayList<>();
    private int blocks;

    private ExampleShell(Process bash) {
        this.bash = bash;
        this.input = bash.outputWriter(StandardCharsets.UTF_8);
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader r =
                            new BufferedReader(new InputStreamReader(bash.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = r.readLine()) != null; ) {
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        lines.add(FAILED + "reading the shell: " + e);
                    }
                },
                "example-shell-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** The ```sh blocks of a markdown file, in order. */
    static List<String> shBlocks(Path markdown) throws IOException {
        List<String> blocks = new ArrayList<>();
        Matcher m = SH_BLOCK.matcher(Files.readString(markdown));
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    /** A bash in a new network namespace whose loopback is up, working in dir with only the given environment. */
    static ExampleShell start(Path dir, Map<String, String> environment) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/unshare", "--net", "bash", "--noprofile", "--norc", "-s")
                .directory(dir.toFile())
                .redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(environment);
        ExampleShell shell = new ExampleShell(pb.start());
        shell.send("ip link set lo up\ntrap 'echo \"" + FAILED + "$? ${BASH_COMMAND}\"' ERR\n");
        return shell;
    }

    /** Pastes a block and waits until the shell has run it. */
    Outcome run(String block, Duration timeout) throws IOException, InterruptedException {
        int n = ++blocks;
        send(block + (block.endsWith("\n") ? "" : "\n") + "echo '" + END + n + "'\n");
        List<String> output = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError(
                        "the block did not end within " + timeout + ":\n" + block + "\n--- it printed:\n"
                                + String.join("\n", output) + "\n--- before it:\n" + String.join("\n", transcript));
            }
            if (line.endsWith(END + n)) { // after what a block printed without a final newline, if anything
                String rest = line.substring(0, line.length() - (END + n).length());
                if (!rest.isEmpty()) {
                    transcript.add(rest);
                    output.add(rest);
                }
                return new Outcome(block, output, failures);
            }
            transcript.add(line);
            if (line.startsWith(FAILED)) {
                failures.add(line.substring(FAILED.length()));
            } else {
                output.add(line);
            }
        }
    }

    /** The shell's processes still running: the ones a README started and did not stop. */
    List<ProcessHandle> leftBehind() {
        try (Stream<ProcessHandle> children = bash.descendants()) {
            return children.filter(ProcessHandle::isAlive).toList();
        }
    }

    static String describe(ProcessHandle p) {
        return p.pid() + " " + p.info().commandLine().orElse("?");
    }

    /** Everything the shell printed so far. */
    String transcript() {
        return String.join("\n", transcript);
    }

    private void send(String text) throws IOException {
        input.write(text);
        input.flush();
    }

    /** Ends the shell and, should a test have failed half-way, whatever it still runs. */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> left = leftBehind();
        left.forEach(ProcessHandle::destroy);
        try {
            input.close();
        } catch (IOException e) {
            // the shell is gone already
        }
        if (!bash.waitFor(30, TimeUnit.SECONDS)) {
            bash.destroyForcibly();
        }
        left.forEach(ProcessHandle::destroyForcibly);
    }
}
