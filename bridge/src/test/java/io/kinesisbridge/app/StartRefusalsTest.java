package io.kinesisbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kinesisbridge.testing.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What stops the start with one line that names what to change, instead of a bridge that cannot work. */
class StartRefusalsTest {

    @Test
    void aRouteToAStreamTheMemoryBackendDoesNotHave_stopsTheStart_namingTheRouteAndBridgeStreams(@TempDir Path dir)
            throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("orders.yaml"), """
                - route:
                    id: orders-http
                    from:
                      uri: "platform-http:/orders"
                      steps:
                        - to:
                            uri: "kinesis-put:orders"
                            parameters:
                              partitionKey: random
                """);
        assertThatThrownBy(() -> RunningBridge.start(
                        dir,
                        Map.of("bridge.http.enabled", "true", "bridge.http.port", String.valueOf(FreePorts.tcp())),
                        routes.toString()))
                .satisfies(e -> assertThat(BridgeMain.refusalIn(e))
                        .isEqualTo("route orders-http puts to stream orders, "
                                + "which the in-memory backend does not have: add it to bridge.streams (e.g. "
                                + "bridge.streams=clickstream:4,logs:2,telemetry:4,orders:1)"));
        try (RunningBridge bridge = RunningBridge.start(
                dir.resolve("ok"),
                Map.of(
                        "bridge.http.enabled",
                        "true",
                        "bridge.http.port",
                        String.valueOf(FreePorts.tcp()),
                        "bridge.streams",
                        "clickstream:4,logs:2,telemetry:4,orders:2"),
                routes.toString())) {
            assertThat(bridge.context().getRoute("orders-http")).isNotNull();
        }
    }

    @Test
    void aRoutesDirectoryThatIsNotThere_stopsTheStart_sayingHowToPointAtOne(@TempDir Path dir) {
        assertThatThrownBy(() -> BridgeMain.create(
                        new String[] {"--routes", dir.resolve("nowhere").toString()}, Map.of()))
                .isInstanceOf(StartRefusedException.class)
                .hasMessage(
                        "no routes directory at " + dir.resolve("nowhere")
                                + ": the bridge reads routes/*.yaml from the "
                                + "directory it runs in; run it from the repository root, or give --routes DIR (or BRIDGE_ROUTES)");
    }

    @Test
    void noConfigurationFile_stopsTheStart_unlessTheDefaultsWereAskedFor(@TempDir Path dir) {
        Path missing = dir.resolve("config/application.properties");
        assertThatThrownBy(() -> BridgeMain.CommandLine.configFile(missing.toString(), false))
                .isInstanceOf(StartRefusedException.class)
                .hasMessage("no configuration file at " + missing + ": run the bridge from the directory that holds "
                        + "config/ and routes/ (the repository root), give --config FILE (or BRIDGE_CONFIG), or --config "
                        + "none to run on the built-in defaults");
        assertThatThrownBy(() -> BridgeMain.CommandLine.configFile(missing.toString(), true))
                .hasMessage("configuration file " + missing + " does not exist");
        assertThat(BridgeMain.CommandLine.configFile("none", false)).isEmpty();
        assertThat(BridgeMain.create(new String[] {"--config", "none"}, Map.of()))
                .isNotNull();
    }

    @Test
    void awsCredentialsThatDoNotResolve_stopTheStart_inOneLineNamingTheSettings(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("aws-config"), "");
        String config = System.getProperty("aws.configFile");
        String credentials = System.getProperty("aws.sharedCredentialsFile");
        System.setProperty("aws.configFile", empty.toString());
        System.setProperty("aws.sharedCredentialsFile", empty.toString());
        try {
            assertThatThrownBy(() -> RunningBridge.start(
                            dir,
                            Map.of(
                                    "bridge.backend",
                                    "aws",
                                    "bridge.aws.region",
                                    "eu-west-1",
                                    "bridge.aws.credentials",
                                    "profile",
                                    "bridge.aws.profile",
                                    "nobody")))
                    .satisfies(e -> assertThat(BridgeMain.refusalIn(e))
                            .startsWith(
                                    "no AWS credentials from profile nobody (bridge.aws.profile; ~/.aws/credentials and ~/.aws/config) (")
                            .doesNotContain("\n")
                            .hasSizeLessThan(400));
        } finally {
            restore("aws.configFile", config);
            restore("aws.sharedCredentialsFile", credentials);
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}
