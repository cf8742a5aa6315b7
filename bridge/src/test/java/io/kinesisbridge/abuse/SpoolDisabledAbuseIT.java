package io.kinesisbridge.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding 10: {@code bridge.spool.enabled=false} must start a bridge that serves, with no spool directory. */
@Tag("slow")
class SpoolDisabledAbuseIT {

    @Test
    void spoolOff_theBridgeStarts_servesEverySource_andMakesNoSpool(@TempDir Path dir) throws Exception {
        try (AbuseRig rig = AbuseRig.start(dir, "spool-off", Map.of("bridge.spool.enabled", "false"))) {
            assertThat(Path.of(rig.process().setting("bridge.spool.dir"))).doesNotExist();
            AbuseLedger.row(
                            "bridge.spool.enabled=false",
                            "starts, serves, no spool directory",
                            "ready, every source delivered, no spool directory",
                            rig)
                    .check();
        }
    }
}
