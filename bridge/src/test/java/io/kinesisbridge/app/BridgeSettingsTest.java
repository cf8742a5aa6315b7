package io.kinesisbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BridgeSettingsTest {

    @TempDir
    Path dir;

    private Optional<Path> file(String content) throws IOException {
        Path f = dir.resolve("application.properties");
        Files.writeString(f, content);
        return Optional.of(f);
    }

    @Test
    void defaults_applyWhenNothingIsGiven() {
        BridgeSettings s = BridgeSettings.load(Optional.empty(), Map.of(), Map.of());
        assertThat(s.text("bridge.backend")).isEqualTo("memory");
        assertThat(s.integer("bridge.http.port")).isEqualTo(8080);
        assertThat(s.text("bridge.dead-letter.dir")).isEqualTo("data/dead-letter");
        assertThat(s.streams()).extracting(StreamSpec::name).containsExactly("clickstream", "logs", "telemetry");
        assertThat(s.streams()).extracting(StreamSpec::shards).containsExactly(4, 2, 4);
    }

    @Test
    void fileThenEnvironmentThenFlags_laterWins() throws IOException {
        Optional<Path> f = file("bridge.http.port=9000\nbridge.file.stream=from-file\ncamel.main.name=x\n");
        BridgeSettings s = BridgeSettings.load(
                f,
                Map.of("BRIDGE_HTTP_PORT", "9001", "BRIDGE_MAX_IN_FLIGHT_RECORDS", "5"),
                Map.of("bridge.http.port", "9002"));
        assertThat(s.integer("bridge.http.port")).isEqualTo(9002);
        assertThat(s.integer("bridge.max-in-flight-records")).isEqualTo(5);
        assertThat(s.text("bridge.file.stream")).isEqualTo("from-file");
        assertThat(s.camelValues()).containsEntry("camel.main.name", "x");
    }

    @Test
    void environmentVariableNames_areTheKeysUpperCasedWithUnderscores() {
        assertThat(BridgeSettings.KNOWN)
                .allSatisfy(setting -> assertThat(setting.environmentVariable())
                        .matches("BRIDGE_[A-Z0-9_]+")
                        .doesNotContain("."));
        BridgeSettings s = BridgeSettings.load(Optional.empty(), Map.of("BRIDGE_DEAD_LETTER_DIR", "/tmp/x"), Map.of());
        assertThat(s.text("bridge.dead-letter.dir")).isEqualTo("/tmp/x");
    }

    @Test
    void unknownKey_inTheFile_stopsTheStartNamingTheKeyAndSuggestingTheRightOne() throws IOException {
        Optional<Path> f = file("bridge.htp.port=9000\n");
        assertThatThrownBy(() -> BridgeSettings.load(f, Map.of(), Map.of()))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("Unknown setting bridge.htp.port (from " + f.get() + "); did you mean bridge.http.port?");
    }

    @Test
    void unknownEnvironmentVariable_withTheBridgePrefix_stopsTheStart() {
        assertThatThrownBy(() -> BridgeSettings.load(Optional.empty(), Map.of("BRIDGE_HTTP_PROT", "1"), Map.of()))
                .hasMessageStartingWith("Unknown setting in environment variable BRIDGE_HTTP_PROT");
    }

    @Test
    void keysOfOtherPrefixes_passThroughForTheRoutes_unlessTheyLookLikeABridgeSettingMisspelt() {
        assertThatThrownBy(() -> BridgeSettings.load(Optional.empty(), Map.of(), Map.of("http.port", "1")))
                .hasMessage("Unknown setting http.port (from flag --http.port); did you mean bridge.http.port?");
        assertThatThrownBy(() -> BridgeSettings.load(Optional.empty(), Map.of(), Map.of("brdige.http.port", "1")))
                .hasMessage(
                        "Unknown setting brdige.http.port (from flag --brdige.http.port); did you mean bridge.http.port?");
        BridgeSettings settings = BridgeSettings.load(
                Optional.empty(), Map.of(), Map.of("camel.anything", "1", "orders.inbox", "data/orders"));
        assertThat(settings.camelValues())
                .containsEntry("camel.anything", "1")
                .containsEntry("orders.inbox", "data/orders");
    }

    @Test
    void malformedValues_stopTheStartNamingKeyValueAndRule() {
        assertThatThrownBy(() -> BridgeSettings.load(Optional.empty(), Map.of(), Map.of("bridge.http.port", "eighty")))
                .hasMessage(
                        "Setting bridge.http.port (from flag --bridge.http.port): 'eighty' is not a port number (1-65535)");
        assertThatThrownBy(() -> BridgeSettings.load(Optional.empty(), Map.of("BRIDGE_BACKEND", "kafka"), Map.of()))
                .hasMessage(
                        "Setting bridge.backend (from environment variable BRIDGE_BACKEND): 'kafka' is not one of memory, aws");
        assertThatThrownBy(() -> BridgeSettings.load(Optional.empty(), Map.of(), Map.of("bridge.streams", "a:0")))
                .hasMessageContaining("bridge.streams")
                .hasMessageContaining("shard count must be a whole number from 1 to 10000");
        assertThatThrownBy(() -> BridgeSettings.load(Optional.empty(), Map.of(), Map.of("bridge.streams", "a:1,a:2")))
                .hasMessageContaining("stream a is listed twice");
        assertThatThrownBy(
                        () -> BridgeSettings.load(Optional.empty(), Map.of(), Map.of("bridge.memory.max-size", "lots")))
                .hasMessageContaining("is not a size such as 25%, 512m or 1073741824");
        assertThatThrownBy(() -> BridgeSettings.load(Optional.empty(), Map.of(), Map.of("bridge.http.enabled", "yes")))
                .hasMessageContaining("'yes' is not true or false");
    }

    @Test
    void streamSpecs_takeAnOptionalMaximumRecordSizeInKiB() {
        assertThat(StreamSpec.parseList("big:1:10240,small:2"))
                .containsExactly(new StreamSpec("big", 1, 10 * 1024 * 1024), new StreamSpec("small", 2, 1024 * 1024));
        assertThatThrownBy(() -> StreamSpec.parseList("big:1:20000")).hasMessageContaining("from 1024 to 10240");
        assertThatThrownBy(() -> StreamSpec.parseList("bad name:1")).hasMessageContaining("is not a stream name");
    }

    @Test
    void memorySize_acceptsShareOfHeapOrSizes() {
        assertThat(BridgeSettings.memorySize("25%", 1000)).contains(250L);
        assertThat(BridgeSettings.memorySize("512m", 0)).contains(512L << 20);
        assertThat(BridgeSettings.memorySize("2g", 0)).contains(2L << 30);
        assertThat(BridgeSettings.memorySize("1024", 0)).contains(1024L);
        assertThat(BridgeSettings.memorySize("0", 0)).isEmpty();
        assertThat(BridgeSettings.memorySize("150%", 10)).isEmpty();
    }

    @Test
    void everyDefault_passesItsOwnCheck_andTheShippedConfigLoads() throws IOException {
        String config = Files.readString(Path.of("config/application.properties"));
        for (Setting s : BridgeSettings.KNOWN) {
            assertThat(s.check().apply(s.defaultValue()))
                    .as("default of %s is valid", s.key())
                    .isNull();
        }
        // the shipped file itself must load
        BridgeSettings.load(Optional.of(Path.of("config/application.properties")), Map.of(), Map.of());
        assertThat(config).contains("bridge.backend=memory");
    }
}
