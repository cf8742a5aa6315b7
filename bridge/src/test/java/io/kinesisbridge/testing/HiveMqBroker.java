package io.kinesisbridge.testing;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** HiveMQ CE embedded (MQTT 5 and 3.1.1), in memory, on 127.0.0.1 and a free port. Starting takes ~1 s, stopping ~4 s. */
public final class HiveMqBroker implements AutoCloseable {

    private final EmbeddedHiveMQ hivemq;
    private final int port;

    private HiveMqBroker(EmbeddedHiveMQ hivemq, int port) {
        this.hivemq = hivemq;
        this.port = port;
    }

    public static HiveMqBroker start(Path dir, int port) throws IOException {
        return start(dir, port, "");
    }

    /** Also a TLS listener on {@code tlsPort}, with the broker's key and certificate from a JKS key store. */
    public static HiveMqBroker startWithTls(Path dir, int port, int tlsPort, Path keyStore, String password)
            throws IOException {
        return start(dir, port, """
                    <tls-tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address>
                      <tls><keystore><path>%s</path><password>%s</password><private-key-password>%s</private-key-password></keystore></tls>
                    </tls-tcp-listener>""".formatted(tlsPort, keyStore.toAbsolutePath(), password, password));
    }

    private static HiveMqBroker start(Path dir, int port, String moreListeners) throws IOException {
        Path config = Files.createDirectories(dir.resolve("hivemq-config"));
        Files.writeString(config.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener>
                    %s
                  </listeners>
                  <persistence><mode>in-memory</mode></persistence>
                  <mqtt><queued-messages><max-queue-size>1000000</max-queue-size></queued-messages></mqtt>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, moreListeners));
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(config)
                .withDataFolder(Files.createDirectories(dir.resolve("hivemq-data")))
                .withExtensionsFolder(Files.createDirectories(dir.resolve("hivemq-extensions")))
                .build();
        hivemq.start().join();
        return new HiveMqBroker(hivemq, port);
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        hivemq.stop().join();
        hivemq.close();
    }
}
