package io.kinesisbridge.abuse;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger's control row: no attack; the rig's own deliveries before and after must all arrive. */
@Tag("slow")
class ControlAbuseIT {

    @Test
    void withoutAnAttack_everySourceDelivers_andNothingIsLost(@TempDir Path dir) throws Exception {
        try (AbuseRig rig = AbuseRig.start(dir, "control", Map.of())) {
            AbuseLedger.row("control (no attack)", "alive, serving, 0 lost", "nothing done", rig)
                    .check();
        }
    }
}
