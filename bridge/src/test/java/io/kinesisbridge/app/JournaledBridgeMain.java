package io.kinesisbridge.app;

import io.kinesisbridge.testing.JournalConfiguration;
import java.util.Map;
import org.apache.camel.main.Main;

/**
 * The bridge as BridgeMain runs it, for tests that kill it (SIGKILL) in a child JVM: the in-memory backend is
 * wrapped so that every record it accepts is appended to a journal file ({@code -Djournal=FILE}) before the
 * bridge hears of it, i.e. before any source acknowledges it. The journal outlives the killed process: it stands
 * for what Kinesis holds.
 */
public final class JournaledBridgeMain {

    private JournaledBridgeMain() {}

    public static void main(String[] args) throws Exception {
        Main main = BridgeMain.create(args, Map.of());
        main.configure().addConfiguration(JournalConfiguration.class);
        main.run();
    }
}
