package io.kinesisbridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.kinesisbridge.health.BridgeHealth;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BridgeHealthCheckTest {

    @Test
    void readiness_isDownWhileAPartReportsAProblem_andUpOnceItRecovers(@TempDir Path dir) throws Exception {
        try (RunningBridge bridge = RunningBridge.start(dir, Map.of())) {
            BridgeHealth health =
                    bridge.context().getRegistry().lookupByNameAndType("bridgeHealth", BridgeHealth.class);
            assertThat(HealthCheckHelper.isResultsUp(HealthCheckHelper.invokeReadiness(bridge.context()), true))
                    .isTrue();

            health.down("source:file-inbox", "OutOfMemoryError reading big.log");
            var results = HealthCheckHelper.invokeReadiness(bridge.context());
            assertThat(HealthCheckHelper.isResultsUp(results, true)).isFalse();
            assertThat(results).anySatisfy(r -> {
                assertThat(r.getCheck().getId()).isEqualTo("bridge");
                assertThat(r.getMessage()).hasValue("not working: source:file-inbox");
                assertThat(r.getDetails()).containsEntry("source:file-inbox", "OutOfMemoryError reading big.log");
            });
            assertThat(HealthCheckHelper.isResultsUp(HealthCheckHelper.invokeLiveness(bridge.context()), false))
                    .isTrue();

            health.up("source:file-inbox");
            assertThat(HealthCheckHelper.isResultsUp(HealthCheckHelper.invokeReadiness(bridge.context()), true))
                    .isTrue();
        }
    }
}
