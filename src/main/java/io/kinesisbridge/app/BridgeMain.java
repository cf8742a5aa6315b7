package io.kinesisbridge.app;

import org.apache.camel.main.Main;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code java -jar kinesis-bridge.jar [--config FILE] [--routes DIR] [--KEY=VALUE ...]}: reads the configuration
 * (file, then environment, then flags), checks it, and runs Camel Main with the YAML routes.
 */
public final class BridgeMain {

    static final String DEFAULT_CONFIG = "config/application.properties";
    static final String DEFAULT_ROUTES = "routes";

    private BridgeMain() {
    }

    public static void main(String[] args) throws Exception {
        Main main;
        try {
            main = create(args, System.getenv());
        } catch (InvalidSettingException | IllegalArgumentException e) {
            System.err.println("kinesis-bridge: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (main == null) {
            return;
        }
        main.run();
    }

    /** The configured Camel Main, not started; null when only help was asked for. */
    static Main create(String[] args, Map<String, String> environment) {
        String config = environment.getOrDefault("BRIDGE_CONFIG", DEFAULT_CONFIG);
        String routes = environment.getOrDefault("BRIDGE_ROUTES", DEFAULT_ROUTES);
        Map<String, String> flags = new LinkedHashMap<>();
        boolean configGiven = environment.containsKey("BRIDGE_CONFIG");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                printHelp();
                return null;
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'; see --help");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("flag --" + name + " needs a value");
            }
            switch (name) {
                case "config" -> {
                    config = value;
                    configGiven = true;
                }
                case "routes" -> routes = value;
                default -> flags.put(name, value);
            }
        }
        Path configPath = Path.of(config);
        if (configGiven && !Files.isRegularFile(configPath)) {
            throw new IllegalArgumentException("configuration file " + configPath + " does not exist");
        }
        BridgeSettings settings = BridgeSettings.load(
                Files.isRegularFile(configPath) ? Optional.of(configPath) : Optional.empty(), environment, flags);
        Main main = new Main(BridgeMain.class);
        main.setDefaultPropertyPlaceholderLocation("false");
        main.setOverrideProperties(camelProperties(settings, routes));
        main.configure().addConfiguration(BridgeConfiguration.class);
        return main;
    }

    /** bridge.* values for the routes' placeholders, the Camel keys they imply, then the user's camel.* keys. */
    static Properties camelProperties(BridgeSettings settings, String routesDir) {
        Properties p = new Properties();
        p.putAll(settings.bridgeValues());
        p.put("camel.main.name", "kinesis-bridge");
        p.put("camel.main.routesIncludePattern", routesPattern(routesDir));
        p.put("camel.main.shutdownTimeout", String.valueOf(settings.integer("bridge.shutdown-timeout-ms") / 1000 + 5));
        p.put("camel.server.enabled", settings.text("bridge.http.enabled"));
        p.put("camel.server.host", settings.text("bridge.http.host"));
        p.put("camel.server.port", settings.text("bridge.http.port"));
        p.put("camel.server.maxBodySize", settings.text("bridge.http.max-body-bytes"));
        p.put("camel.component.kinesis-put.maxBatchRecords", settings.text("bridge.dispatch.max-batch-records"));
        p.put("camel.component.kinesis-put.lingerMs", settings.text("bridge.dispatch.linger-ms"));
        p.put("camel.component.kinesis-put.maxConcurrentRequests", settings.text("bridge.dispatch.max-concurrent-requests"));
        p.put("camel.component.kinesis-put.retryMaxAttempts", settings.text("bridge.retry.max-attempts"));
        p.put("camel.component.kinesis-put.retryBaseDelayMs", settings.text("bridge.retry.base-delay-ms"));
        p.put("camel.component.kinesis-put.retryMaxDelayMs", settings.text("bridge.retry.max-delay-ms"));
        p.put("camel.component.kinesis-put.shutdownTimeoutMs", settings.text("bridge.shutdown-timeout-ms"));
        p.put("camel.component.kinesis-put.shardFlowControl", settings.text("bridge.dispatch.shard-flow-control"));
        p.put("camel.component.kinesis-put.shardRecordsPerSecond", settings.text("bridge.dispatch.shard-records-per-second"));
        p.put("camel.component.kinesis-put.shardBytesPerSecond", settings.text("bridge.dispatch.shard-bytes-per-second"));
        p.put("camel.component.kinesis-put.shardMapRefreshMs", settings.text("bridge.dispatch.shard-map-refresh-ms"));
        p.put("camel.component.kinesis-put.maxPendingBytes", settings.text("bridge.dispatch.max-pending-bytes"));
        p.putAll(settings.camelValues());
        return p;
    }

    static String routesPattern(String routes) {
        Path path = Path.of(routes);
        if (Files.isDirectory(path)) {
            return "file:" + path.toAbsolutePath().normalize() + "/*.yaml";
        }
        return routes.contains(":") ? routes : "file:" + routes;
    }

    private static void printHelp() {
        System.out.println("""
                kinesis-bridge: moves files, HTTP, syslog and MQTT into Amazon Kinesis Data Streams

                  java -jar kinesis-bridge.jar [--config FILE] [--routes DIR|PATTERN] [--KEY=VALUE ...]

                  --config FILE    properties file (default config/application.properties; env BRIDGE_CONFIG)
                  --routes DIR     directory of YAML routes (default routes; env BRIDGE_ROUTES)
                  --KEY=VALUE      any setting, e.g. --bridge.http.port=9090 or --camel.main.name=x

                Settings (environment: upper case, '.' and '-' as '_', e.g. BRIDGE_HTTP_PORT):""");
        for (Setting s : BridgeSettings.KNOWN) {
            System.out.printf("  %-40s %s%n      default: %s%n", s.key(), s.description(), s.defaultValue());
        }
    }
}
