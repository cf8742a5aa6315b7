package io.kinesisbridge.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The bridge's version and the versions it was built with, from a resource the build writes. */
final class BridgeVersion {

    private static final Properties BUILD = load();

    private BridgeVersion() {}

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BridgeVersion.class.getResourceAsStream("/io/kinesisbridge/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    static String current() {
        return BUILD.getProperty("version", "(development build)");
    }

    /** {@code kinesis-bridge 0.1.0 (Apache Camel 4.17.0, AWS SDK 2.57.8, Java 17.0.15)}. */
    static String line() {
        return "kinesis-bridge " + current() + " (Apache Camel " + BUILD.getProperty("camel", "?")
                + ", AWS SDK for Java " + BUILD.getProperty("awssdk", "?") + ", Java "
                + System.getProperty("java.version") + ")";
    }
}
