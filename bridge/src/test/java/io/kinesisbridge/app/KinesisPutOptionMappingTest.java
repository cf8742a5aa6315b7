package io.kinesisbridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kinesisbridge.dispatch.DispatchSettings;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bridge's settings and the kinesis-put component's options, checked against the component's generated catalog:
 * every dispatch option has the one setting that sets it, every option a setting names exists, and a setting's
 * default is the option's, so that neither side can drift from the other.
 */
class KinesisPutOptionMappingTest {

    private static final String DISPATCH = "dispatchConfiguration";

    /** Dispatch options no setting sets, and why. */
    private static final Map<String, String> LEFT_AT_DEFAULT = Map.of(
            "maxBatchBytes",
            "Kinesis's own 5 MiB request limit; smaller batches come from bridge.dispatch.max-batch-records");

    /** Settings that set an option but have a default of their own, and why. */
    private static final Map<String, String> OWN_DEFAULT = Map.of(
            "bridge.dispatch.shard-flow-control", "auto: paced for AWS, not for an unlimited in-memory backend",
            "bridge.spool.dir", "the bridge spools by default; the component only when given a directory");

    /** Component options that are not dispatch options: endpoint defaults (set per route), beans and Camel's own. */
    private static final Set<String> NOT_DISPATCH =
            Set.of("configuration", DISPATCH, "backend", "deadLetterSink", "lazyStartProducer", "autowiredEnabled");

    private static JsonNode options;

    @BeforeAll
    static void readCatalog() throws IOException {
        try (InputStream in = KinesisPutOptionMappingTest.class
                .getClassLoader()
                .getResourceAsStream("META-INF/io/kinesisbridge/component/kinesis-put.json")) {
            assertThat(in).as("the kinesis-put catalog on the class path").isNotNull();
            options = new ObjectMapper().readTree(in).path("componentProperties");
        }
    }

    /** Component option name → the keys of the settings that set it. */
    private static Map<String, List<String>> settingsByOption() {
        Map<String, List<String>> byOption = new TreeMap<>();
        for (Setting setting : BridgeSettings.KNOWN) {
            for (Setting.CamelProperty property : setting.camelProperties()) {
                if (property.key().startsWith(KinesisPutOption.PREFIX)) {
                    byOption.computeIfAbsent(
                                    property.key().substring(KinesisPutOption.PREFIX.length()), k -> new ArrayList<>())
                            .add(setting.key());
                }
            }
        }
        return byOption;
    }

    private static List<String> optionsWhere(boolean dispatch) {
        List<String> names = new ArrayList<>();
        options.fields().forEachRemaining(option -> {
            if (option.getValue().path("configurationField").asText().equals(DISPATCH) == dispatch) {
                names.add(option.getKey());
            }
        });
        return names;
    }

    @Test
    void everyDispatchOptionOfTheComponent_isSetByExactlyOneSetting_orLeftAtItsDefaultForAStatedReason() {
        Map<String, List<String>> byOption = settingsByOption();
        Map<String, String> problems = new LinkedHashMap<>();
        for (String option : optionsWhere(true)) {
            List<String> settings = byOption.getOrDefault(option, List.of());
            if (LEFT_AT_DEFAULT.containsKey(option) ? !settings.isEmpty() : settings.size() != 1) {
                problems.put(option, settings.isEmpty() ? "no bridge.* setting sets it" : "set by " + settings);
            }
        }
        assertThat(problems)
                .as("kinesis-put dispatch options without exactly one bridge.* setting")
                .isEmpty();
    }

    @Test
    void everyOptionASettingSets_isADispatchOptionOfTheComponent() {
        assertThat(optionsWhere(true)).containsAll(settingsByOption().keySet());
    }

    @Test
    void everyOtherComponentOption_isAnEndpointDefault_aBean_orCamelsOwn() {
        List<String> unexplained = optionsWhere(false).stream()
                .filter(name -> !NOT_DISPATCH.contains(name))
                .filter(name ->
                        !options.path(name).path("configurationField").asText().equals("configuration"))
                .toList();
        assertThat(unexplained)
                .as("component options neither on a configuration class nor known beans")
                .isEmpty();
    }

    @Test
    void aSettingThatSetsAnOption_hasTheOptionsDefault_unlessItsOwnIsExplained() {
        Map<String, String> differing = new TreeMap<>();
        for (Setting setting : BridgeSettings.KNOWN) {
            for (Setting.CamelProperty property : setting.camelProperties()) {
                if (property.key().startsWith(KinesisPutOption.PREFIX)) {
                    String option = property.key().substring(KinesisPutOption.PREFIX.length());
                    String componentDefault =
                            options.path(option).path("defaultValue").asText("");
                    if (!componentDefault.equals(setting.defaultValue())) {
                        differing.put(setting.key(), setting.defaultValue() + " vs " + option + "=" + componentDefault);
                    }
                }
            }
        }
        assertThat(differing.keySet())
                .as("settings whose default is not their option's: %s", differing)
                .isEqualTo(OWN_DEFAULT.keySet());
    }

    @Test
    void eachDispatchSetting_reachesReplaysDispatchSettings_andTheComponentsCamelProperties() {
        BridgeSettings settings = BridgeSettings.load(
                Optional.empty(),
                Map.of(),
                Map.ofEntries(
                        Map.entry("bridge.dispatch.max-batch-records", "123"),
                        Map.entry("bridge.dispatch.linger-ms", "7"),
                        Map.entry("bridge.dispatch.max-concurrent-requests", "3"),
                        Map.entry("bridge.dispatch.shard-flow-control", "true"),
                        Map.entry("bridge.dispatch.shard-records-per-second", "77"),
                        Map.entry("bridge.dispatch.shard-bytes-per-second", "7777"),
                        Map.entry("bridge.dispatch.shard-map-refresh-ms", "777"),
                        Map.entry("bridge.dispatch.max-pending-bytes", "4096"),
                        Map.entry("bridge.retry.max-attempts", "4"),
                        Map.entry("bridge.retry.base-delay-ms", "11"),
                        Map.entry("bridge.retry.max-delay-ms", "22"),
                        Map.entry("bridge.shutdown-timeout-ms", "9000")));
        DispatchSettings dispatch = ReplayCommand.dispatchOptions(settings).dispatchSettings();
        assertThat(dispatch.maxBatchRecords()).isEqualTo(123);
        assertThat(dispatch.linger()).isEqualTo(Duration.ofMillis(7));
        assertThat(dispatch.maxConcurrentRequests()).isEqualTo(3);
        assertThat(dispatch.flowControl().enabled()).isTrue();
        assertThat(dispatch.flowControl().recordsPerSecond()).isEqualTo(77);
        assertThat(dispatch.flowControl().bytesPerSecond()).isEqualTo(7777);
        assertThat(dispatch.flowControl().refreshInterval()).isEqualTo(Duration.ofMillis(777));
        assertThat(dispatch.maxPendingBytes()).isEqualTo(4096);
        assertThat(dispatch.retry().maxAttempts()).isEqualTo(4);
        assertThat(dispatch.retry().baseDelay()).isEqualTo(Duration.ofMillis(11));
        assertThat(dispatch.retry().maxDelay()).isEqualTo(Duration.ofMillis(22));
        assertThat(ReplayCommand.dispatchOptions(settings).shutdownTimeout()).isEqualTo(Duration.ofSeconds(9));
        assertThat(BridgeMain.camelProperties(settings, "routes"))
                .containsEntry("camel.component.kinesis-put.lingerMs", "7")
                .containsEntry("camel.main.shutdownTimeout", "14");
    }

    @Test
    void theSpool_isSetOnlyWhenEnabled_andTheMetricsFollowTheManagementServer() {
        BridgeSettings off = BridgeSettings.load(
                Optional.empty(),
                Map.of(),
                Map.of("bridge.spool.enabled", "false", "bridge.management.enabled", "false"));
        assertThat(BridgeMain.camelProperties(off, "routes"))
                .doesNotContainKey("camel.component.kinesis-put.spoolDir")
                .containsEntry("camel.metrics.enabled", "false");
        BridgeSettings on = BridgeSettings.load(Optional.empty(), Map.of(), Map.of("bridge.spool.dir", "elsewhere"));
        assertThat(BridgeMain.camelProperties(on, "routes"))
                .containsEntry("camel.component.kinesis-put.spoolDir", "elsewhere")
                .containsEntry("camel.metrics.enabled", "true");
    }
}
