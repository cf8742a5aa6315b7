package io.kinesisbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kinesisbridge.app.DeliverySettings.FlowControlChoice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BridgeMainTest {

    @TempDir
    Path dir;

    @Test
    void flagsOverrideTheEnvironment_bridgeKeysBecomeCamelPlaceholders_andCamelsOwnHttpServerStaysOff()
            throws IOException {
        Path config = dir.resolve("app.properties");
        Files.writeString(config, "bridge.http.port=9000\ncamel.main.name=custom\n");
        Main main = BridgeMain.create(
                new String[] {"--config", config.toString(), "--bridge.http.port=9100", "--routes", dir.toString()},
                Map.of("BRIDGE_HTTP_HOST", "0.0.0.0"));
        Properties p = main.getOverrideProperties();
        assertThat(p.getProperty("bridge.http.port")).isEqualTo("9100");
        assertThat(p.getProperty("bridge.http.host")).isEqualTo("0.0.0.0");
        // the HTTP source listens through the bridge's own server, which has the limits Camel Main's cannot be given
        assertThat(p.getProperty("camel.server.enabled")).isEqualTo("false");
        assertThat(p.getProperty("camel.main.name")).isEqualTo("custom");
        assertThat(p.getProperty("camel.main.routesIncludePattern"))
                .isEqualTo("file:" + dir.toAbsolutePath() + "/*.yaml");
    }

    @Test
    void aMissingConfigFileGivenExplicitly_isAnError_theDefaultOneMayBeAbsent() {
        assertThatThrownBy(() -> BridgeMain.create(
                        new String[] {"--config", dir.resolve("nope").toString()}, Map.of()))
                .hasMessageContaining("does not exist");
        assertThat(BridgeMain.create(new String[] {"--routes", dir.toString()}, Map.of()))
                .isNotNull();
    }

    @Test
    void unknownFlag_stopsTheStartNamingIt() {
        assertThatThrownBy(() -> BridgeMain.create(new String[] {"--bridge.htp.port=1"}, Map.of()))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage(
                        "Unknown setting bridge.htp.port (from flag --bridge.htp.port); did you mean bridge.http.port?");
        assertThatThrownBy(() -> BridgeMain.create(new String[] {"stray"}, Map.of()))
                .hasMessageContaining("unexpected argument 'stray'");
        assertThatThrownBy(() -> BridgeMain.create(new String[] {"--bridge.http.port"}, Map.of()))
                .hasMessageContaining("needs a value");
    }

    @Test
    void shardPacing_auto_isOnForAws_offForTheUnlimitedMemoryBackend_atTheMemoryLimitsWhenThoseAreOn() {
        Function<Map<String, String>, FlowControlChoice> choice =
                flags -> FlowControlChoice.of(BridgeSettings.load(Optional.empty(), Map.of(), flags));
        assertThat(choice.apply(Map.of()).on()).isFalse();
        assertThat(choice.apply(Map.of("bridge.memory.shard-limits", "true", "bridge.memory.records-per-second", "50")))
                .isEqualTo(new FlowControlChoice(true, 50, 1048576));
        assertThat(choice.apply(Map.of("bridge.backend", "aws", "bridge.aws.region", "eu-west-1"))
                        .on())
                .isTrue();
        assertThat(choice.apply(Map.of("bridge.dispatch.shard-flow-control", "true"))
                        .on())
                .isTrue();
    }

    @Test
    void shardPacing_readsTheBackendAndTheChoice_inAnyCase_asTheirChecksAcceptThem() {
        Function<Map<String, String>, FlowControlChoice> choice =
                flags -> FlowControlChoice.of(BridgeSettings.load(Optional.empty(), Map.of(), flags));
        assertThat(choice.apply(Map.of("bridge.backend", "AWS", "bridge.aws.region", "eu-west-1"))
                        .on())
                .isTrue();
        assertThat(choice.apply(Map.of(
                                "bridge.backend",
                                "aws",
                                "bridge.aws.region",
                                "eu-west-1",
                                "bridge.dispatch.shard-flow-control",
                                "AUTO"))
                        .on())
                .isTrue();
    }
}
