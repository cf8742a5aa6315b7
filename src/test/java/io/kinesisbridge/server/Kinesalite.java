package io.kinesisbridge.server;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * kinesalite 3.3.3 (npm) in a node process bound to 127.0.0.1 on a free port, streams created and deleted at
 * once, for the interop tests and the benchmark. It is found in {@code -Dkinesalite.dir} (default
 * {@code .tools/kinesalite}, where .ci/run installs it).
 */
public final class Kinesalite implements AutoCloseable {

    private final Process process;
    private final int port;

    private Kinesalite(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static Path dir() {
        return Path.of(System.getProperty("kinesalite.dir", ".tools/kinesalite"));
    }

    /** Whether kinesalite is installed in {@link #dir()} and node is on the PATH. */
    public static boolean installed() {
        if (!Files.isDirectory(dir().resolve("node_modules/kinesalite"))) {
            return false;
        }
        try {
            return new ProcessBuilder("node", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public static Kinesalite start() throws IOException {
        return start("createStreamMs:0,deleteStreamMs:0,updateStreamMs:0,shardLimit:10000");
    }

    /** kinesalite with these options (the inside of its options object, e.g. {@code createStreamMs:500}). */
    public static Kinesalite start(String options) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("kinesalite-", ".log");
        Process process = new ProcessBuilder("node", "-e",
                "require('kinesalite')({" + options + "}).listen(" + port + ",'127.0.0.1')")
                .directory(dir().toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Kinesalite k = new Kinesalite(process, port);
        try {
            Awaitility.await("kinesalite listening on " + port).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("kinesalite exited: " + Files.readString(log));
                        }
                        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                            return true;
                        } catch (IOException e) {
                            return false;
                        }
                    });
        } catch (RuntimeException e) {
            k.close();
            throw e;
        }
        return k;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
