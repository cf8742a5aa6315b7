package io.kinesisbridge.abuse;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** An attacker's connections to one of the bridge's TCP listeners. */
final class AttackSockets implements AutoCloseable {

    private final List<Socket> sockets = new ArrayList<>();

    /** Opens {@code count} connections to 127.0.0.1:{@code port}; a refused connect is counted, not thrown. */
    List<Socket> open(int port, int count) {
        List<Socket> opened = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            try {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                sockets.add(s);
                opened.add(s);
            } catch (IOException e) {
                // the kernel's backlog was full: as refused as it gets
            }
        }
        return opened;
    }

    static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    /** Whether the bridge closed the connection: a read sees the end of the stream or a reset. */
    static boolean closedByPeer(Socket s) {
        try {
            s.setSoTimeout(5);
            InputStream in = s.getInputStream();
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    static long closedByPeer(List<Socket> sockets) {
        return sockets.stream().filter(AttackSockets::closedByPeer).count();
    }

    @Override
    public void close() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // gone already
            }
        }
        sockets.clear();
    }
}
