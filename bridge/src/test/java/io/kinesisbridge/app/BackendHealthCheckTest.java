package io.kinesisbridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;

class BackendHealthCheckTest {

    @Test
    void readiness_isUpWhenEveryTargetStreamExists_downNamingTheOnesThatDoNot() {
        InMemoryKinesis kinesis = new InMemoryKinesis(MemoryBackendSettings.defaults());
        kinesis.createStream("a", 1);
        assertThat(new BackendHealthCheck(kinesis, List.of("a")).call().getState())
                .isEqualTo(HealthCheck.State.UP);
        HealthCheck.Result down = new BackendHealthCheck(kinesis, List.of("a", "missing")).call();
        assertThat(down.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(down.getMessage()).get().asString().contains("missing");
        assertThat(down.getDetails().get("stream.missing").toString()).contains("Stream missing under account");
        assertThat(new BackendHealthCheck(kinesis, List.of()).isLiveness()).isFalse();
    }

    @Test
    void targetStreams_areThoseOfEnabledSources() {
        BridgeSettings settings = BridgeSettings.load(
                Optional.empty(),
                Map.of(),
                Map.of("bridge.file.enabled", "false", "bridge.http.stream", "clicks", "bridge.mqtt.enabled", "false"));
        // syslog stays on and goes to logs; the file sources (logs too) and MQTT (telemetry) are off
        assertThat(BridgeConfiguration.targetStreams(settings)).containsExactly("clicks", "logs");
        BridgeSettings noSyslog = BridgeSettings.load(
                Optional.empty(),
                Map.of(),
                Map.of(
                        "bridge.file.enabled",
                        "false",
                        "bridge.syslog.enabled",
                        "false",
                        "bridge.mqtt.enabled",
                        "false"));
        assertThat(BridgeConfiguration.targetStreams(noSyslog)).containsExactly("clickstream");
    }
}
