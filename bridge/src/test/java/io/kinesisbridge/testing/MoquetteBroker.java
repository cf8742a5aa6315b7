package io.kinesisbridge.testing;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Properties;

/** Moquette (MQTT 3.1.1 only), in memory, on 127.0.0.1: starts and stops in well under a second. */
public final class MoquetteBroker implements AutoCloseable {

    private final Server server = new Server();
    private final int port;

    private MoquetteBroker(int port) {
        this.port = port;
    }

    public static MoquetteBroker start(int port) throws IOException {
        MoquetteBroker b = new MoquetteBroker(port);
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", String.valueOf(port));
        p.setProperty("allow_anonymous", "true");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("websocket_port", "disabled");
        p.setProperty("data_path", Files.createTempDirectory("moquette").toString());
        b.server.startServer(new MemoryConfig(p));
        return b;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.stopServer();
    }
}
