package io.kinesisbridge.testing;

import static org.awaitility.Awaitility.await;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A TCP connection to 127.0.0.1 for HTTP tests that a client library cannot write: headers sent a byte at a time,
 * bodies that never end, connections left idle. Reads HTTP/1.1 answers (Content-Length or chunked).
 */
public final class RawConnection implements AutoCloseable {

    private final Socket socket;
    private final BufferedInputStream in;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
    }

    public static RawConnection open(int port) {
        try {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            return new RawConnection(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An answer: status, headers (names in lower case), body. */
    public record Answer(int status, Map<String, String> headers, String body) {}

    /** Sends the text as ISO-8859-1 bytes; false when the connection no longer takes them. */
    public boolean send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public boolean send(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The headers of a POST with the given Content-Length (none when negative) and extra header lines. */
    public static String postHeaders(String path, long contentLength, String... headerLines) {
        StringBuilder h = new StringBuilder(
                "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n");
        if (contentLength >= 0) {
            h.append("Content-Length: ").append(contentLength).append("\r\n");
        }
        for (String line : headerLines) {
            h.append(line).append("\r\n");
        }
        return h.append("\r\n").toString();
    }

    /** A whole POST of {@code body}, with extra header lines. */
    public static String post(String path, String body, String... headerLines) {
        return postHeaders(path, body.getBytes(StandardCharsets.ISO_8859_1).length, headerLines) + body;
    }

    /** Reads one answer, waiting at most {@code atMost} for each read. */
    public Answer read(Duration atMost) {
        try {
            socket.setSoTimeout((int) atMost.toMillis());
            String statusLine = line();
            if (statusLine == null) {
                throw new IOException("the connection closed before an answer");
            }
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String l = line(); l != null && !l.isEmpty(); l = line()) {
                int colon = l.indexOf(':');
                headers.put(
                        l.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        l.substring(colon + 1).trim());
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (headers.containsKey("content-length")) {
                body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                for (int size = Integer.parseInt(line().trim(), 16);
                        size > 0;
                        size = Integer.parseInt(line().trim(), 16)) {
                    body.write(in.readNBytes(size));
                    line();
                }
                line();
            }
            return new Answer(status, headers, body.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The answer if one starts within {@code wait}, else empty (the connection stays usable). */
    public Optional<Answer> tryRead(Duration wait) {
        try {
            socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
            in.mark(1);
            int first = in.read();
            if (first < 0) {
                return Optional.empty();
            }
            in.reset();
        } catch (IOException e) {
            return Optional.empty(); // nothing within the wait, or the connection is gone
        }
        return Optional.of(read(Duration.ofSeconds(10)));
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Whether the peer has closed the connection, looking for up to {@code wait}: any byte read before is dropped. */
    public boolean closedByPeer(Duration wait) {
        try {
            socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
            while (in.read() >= 0) {
                // an answer the test does not look at
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    /** Waits until the peer closes the connection, sending {@code trickle} (if not null) before each look. */
    public void awaitClosedByPeer(Duration atMost, String trickle) {
        await().atMost(atMost)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> (trickle != null && !send(trickle)) || closedByPeer(Duration.ofMillis(50)));
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing
        }
    }
}
