package io.kinesisbridge.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Says which signal stops the bridge (Camel's shutdown hook cannot tell Ctrl-C from SIGTERM), then lets the JVM's own
 * handler run the shutdown as before.
 */
final class StopSignals {

    private static final Logger LOG = LoggerFactory.getLogger("kinesis-bridge");

    private StopSignals() {}

    static void logWhenReceived() {
        handle("INT", "Ctrl-C (SIGINT)");
        handle("TERM", "SIGTERM");
    }

    private static void handle(String name, String said) {
        try {
            SignalHandler[] previous = new SignalHandler[1];
            previous[0] = Signal.handle(new Signal(name), signal -> {
                LOG.info(
                        "stopping: {}; records in flight get up to bridge.shutdown-timeout-ms, the rest is spooled",
                        said);
                previous[0].handle(signal);
            });
        } catch (IllegalArgumentException e) {
            // the signal is not available here (another OS, or the JVM was told to leave it alone): Camel's hook still
            // runs
        }
    }
}
