package io.kinesisbridge.app;

import io.kinesisbridge.net.CannotListenException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar kinesis-bridge.jar [--config FILE] [--routes DIR] [--KEY=VALUE ...]}: reads the configuration
 * (file, then environment, then flags), checks it, and runs Camel Main with the YAML routes.
 */
public final class BridgeMain {

    static final String DEFAULT_CONFIG = "config/application.properties";
    static final String DEFAULT_ROUTES = "routes";
    /** {@code --config none}: no configuration file, the built-in defaults (and the environment and flags). */
    static final String NO_CONFIG = "none";

    private BridgeMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("replay")) {
            int status;
            try {
                status = replay(Arrays.copyOfRange(args, 1, args.length), System.getenv());
            } catch (InvalidSettingException | IllegalArgumentException | ReplayCommand.ReplayRefused e) {
                System.err.println("kinesis-bridge replay: " + e.getMessage());
                status = 2;
            }
            System.exit(status);
            return;
        }
        if (args.length == 1 && args[0].equals("--version")) {
            System.out.println(BridgeVersion.line());
            return;
        }
        Main main;
        try {
            main = create(args, System.getenv(), true);
        } catch (InvalidSettingException | StartRefusedException | IllegalArgumentException e) {
            System.err.println("kinesis-bridge: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (main == null) {
            return;
        }
        StopSignals.logWhenReceived();
        try {
            main.run();
        } catch (Exception e) {
            String refusal = refusalIn(e);
            if (refusal == null) {
                throw e;
            }
            System.err.println("kinesis-bridge: " + refusal);
            System.exit(2);
        }
        LoggerFactory.getLogger("kinesis-bridge").info("stopped");
    }

    /**
     * The one-line reason a failed start gives (a taken port, a setting, a stream, a route that cannot be built), or
     * null for a failure the bridge cannot explain better than its stack trace.
     */
    static String refusalIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CannotListenException
                    || t instanceof StartRefusedException
                    || t instanceof InvalidSettingException) {
                return t.getMessage();
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FailedToCreateRouteException route) {
                Throwable root = route;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                return "cannot build route " + route.getRouteId() + ": " + root.getMessage();
            }
        }
        return null;
    }

    /** {@code replay --from SOURCE [--to STREAM]} with the usual --config and setting flags; the exit status. */
    static int replay(String[] args, Map<String, String> environment) {
        CommandLine cl = CommandLine.parse(args, environment);
        if (cl.help()) {
            System.out.println("""
                    kinesis-bridge replay: send captured or dead-lettered records to the configured backend, per-key order kept

                      java -jar kinesis-bridge.jar replay --from memory:DIR|dead-letter:FILE [--to STREAM] [--config FILE] [--KEY=VALUE ...]

                      --from memory:DIR        the streams captured by bridge.memory.persist-dir=DIR (stop the bridge using DIR first)
                      --from dead-letter:FILE  the records of a dead-letter file, e.g. data/dead-letter/clickstream.ndjson
                      --to STREAM              put every record to STREAM instead of its own stream

                    Where records go: with bridge.backend=aws to AWS Kinesis; with the in-memory backend to the running
                    bridge's Kinesis endpoint (bridge.endpoint.host and bridge.endpoint.port, http://127.0.0.1:4567 by
                    default). Records the target rejects are written to DEAD-LETTER-DIR/replay-<time>/, never to the input.""");
            return 0;
        }
        String from = cl.extra().get("from");
        if (from == null) {
            throw new IllegalArgumentException(
                    "replay needs --from memory:DIR or --from dead-letter:FILE; see replay --help");
        }
        return ReplayCommand.run(cl.settings(), from, cl.extra().get("to"), System.out);
    }

    /** The arguments both commands share: --config, --routes, --help, and settings as flags. */
    record CommandLine(BridgeSettings settings, String routes, boolean help, Map<String, String> extra) {

        static final Set<String> EXTRA = Set.of("from", "to");

        static CommandLine parse(String[] args, Map<String, String> environment) {
            String config = environment.getOrDefault("BRIDGE_CONFIG", DEFAULT_CONFIG);
            String routes = environment.getOrDefault("BRIDGE_ROUTES", DEFAULT_ROUTES);
            Map<String, String> flags = new LinkedHashMap<>();
            Map<String, String> extra = new LinkedHashMap<>();
            boolean configGiven = environment.containsKey("BRIDGE_CONFIG");
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--help") || arg.equals("-h")) {
                    return new CommandLine(null, routes, true, extra);
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
                if (name.equals("config")) {
                    config = value;
                    configGiven = true;
                } else if (name.equals("routes")) {
                    routes = value;
                } else if (EXTRA.contains(name)) {
                    extra.put(name, value);
                } else {
                    flags.put(name, value);
                }
            }
            BridgeSettings settings = BridgeSettings.load(configFile(config, configGiven), environment, flags);
            return new CommandLine(settings, routes, false, extra);
        }

        /** The configuration file to read: none for {@code none}; a file that is not there stops the start. */
        static Optional<Path> configFile(String config, boolean configGiven) {
            if (config.equals(NO_CONFIG)) {
                return Optional.empty();
            }
            Path file = Path.of(config);
            if (!Files.isRegularFile(file)) {
                Path missing = file.toAbsolutePath().normalize();
                throw new StartRefusedException(
                        configGiven
                                ? "configuration file " + missing + " does not exist"
                                : "no configuration file at " + missing
                                        + ": run the bridge from the directory that holds config/ "
                                        + "and routes/ (the repository root), give --config FILE (or BRIDGE_CONFIG), or --config "
                                        + NO_CONFIG + " to run on the built-in defaults");
            }
            return Optional.of(file);
        }
    }

    /** The configured Camel Main, not started; null when only help was asked for. */
    static Main create(String[] args, Map<String, String> environment) {
        return create(args, environment, false);
    }

    /** @param startEarly whether to build the shared Vert.x on a second thread now, for the run that follows */
    static Main create(String[] args, Map<String, String> environment, boolean startEarly) {
        CommandLine cl = CommandLine.parse(args, environment);
        if (cl.help()) {
            printHelp();
            return null;
        }
        if (!cl.extra().isEmpty()) {
            throw new IllegalArgumentException(
                    "--" + cl.extra().keySet().iterator().next() + " belongs to the replay command");
        }
        BridgeSettings settings = cl.settings();
        BridgeConfiguration.checkTailPaths(settings);
        if (startEarly) {
            EarlyStart.begin(settings.http().workerThreads());
        }
        String routes = cl.routes();
        // no class given: Camel Main would scan the package for configurations, which costs start-up time
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("false");
        main.setOverrideProperties(camelProperties(settings, routes));
        main.configure().addConfiguration(BridgeConfiguration.class);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport configured) {
                StartupReport.requireStreams(configured.getCamelContext());
            }
        });
        return main;
    }

    /** bridge.* values for the routes' placeholders, the Camel keys they imply, then the user's camel.* keys. */
    static Properties camelProperties(BridgeSettings settings, String routesDir) {
        Properties p = new Properties();
        p.putAll(settings.bridgeValues());
        p.put("camel.main.name", "kinesis-bridge");
        p.put("camel.main.routesIncludePattern", routesPattern(routesDir));
        // the HTTP source's server is the bridge's own (source.http.HttpListener), not Camel Main's embedded one
        p.put("camel.server.enabled", "false");
        settings.http().listener().tls().ifPresent(keyStore -> {
            if (!Files.isReadable(keyStore.path())) {
                throw new InvalidSettingException(
                        "Setting bridge.http.tls.keystore: " + keyStore.path() + " is not a readable file");
            }
        });
        p.put("camel.health.enabled", "true");
        p.put("camel.health.routesEnabled", "true");
        p.put("camel.health.consumersEnabled", "true");
        p.put("camel.health.registryEnabled", "true");
        p.put("camel.health.exposureLevel", "full");
        // per-endpoint timers on every exchange sent anywhere cost more than the bridge's own per-record work on
        // small HTTP requests; route timers (the route policy) and the bridge's own meters stay
        p.put("camel.metrics.enableExchangeEventNotifier", "false");
        // route timers, but not the context-wide one as well: each formats a String per exchange (two String.format
        // calls), together 6 % of the CPU of one-event HTTP requests in a profile
        p.put("camel.metrics.routePolicyLevel", "route");
        // the kinesis-put options, camel.metrics.enabled and camel.main.shutdownTimeout, as each setting maps them
        p.putAll(settings.camelProperties());
        p.putAll(settings.camelValues());
        return p;
    }

    /**
     * Camel's pattern for {@code --routes}: a directory's {@code *.yaml}, or a pattern of Camel's own (with a scheme
     * such as {@code file:} or {@code classpath:}, or a wildcard). A directory that does not exist stops the start.
     */
    static String routesPattern(String routes) {
        if (routes.contains(":") || routes.contains("*")) {
            return routes.contains(":") ? routes : "file:" + routes;
        }
        Path path = Path.of(routes);
        if (!Files.isDirectory(path)) {
            throw new StartRefusedException(
                    "no routes directory at " + path.toAbsolutePath().normalize() + ": the bridge "
                            + "reads routes/*.yaml from the directory it runs in; run it from the repository root, or give "
                            + "--routes DIR (or BRIDGE_ROUTES)");
        }
        return "file:" + path.toAbsolutePath().normalize() + "/*.yaml";
    }

    private static void printHelp() {
        System.out.println("""
                kinesis-bridge: moves files, HTTP, syslog and MQTT into Amazon Kinesis Data Streams

                  java -jar kinesis-bridge.jar [--config FILE] [--routes DIR|PATTERN] [--KEY=VALUE ...]
                  java -jar kinesis-bridge.jar replay --from memory:DIR|dead-letter:FILE [--to STREAM]   (replay --help)

                  java -jar kinesis-bridge.jar --version

                  --config FILE    properties file (default config/application.properties; env BRIDGE_CONFIG); none: the defaults
                  --routes DIR     directory of YAML routes (default routes; env BRIDGE_ROUTES)
                  --KEY=VALUE      any setting, e.g. --bridge.http.port=9090 or --camel.main.name=x

                Settings (environment: upper case, '.' and '-' as '_', e.g. BRIDGE_HTTP_PORT):""");
        for (Setting s : BridgeSettings.KNOWN) {
            System.out.printf("  %-40s %s%n      default: %s%n", s.key(), s.description(), s.defaultValue());
        }
    }
}
