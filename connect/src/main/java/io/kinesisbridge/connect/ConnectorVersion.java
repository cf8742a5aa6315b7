package io.kinesisbridge.connect;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The connector's version, from the build. */
final class ConnectorVersion {

    static final String VERSION = read();

    private ConnectorVersion() {}

    private static String read() {
        try (InputStream in = ConnectorVersion.class.getResourceAsStream("connector.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
