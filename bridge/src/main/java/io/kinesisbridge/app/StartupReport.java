package io.kinesisbridge.app;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.health.BridgeHealth;
import io.kinesisbridge.server.KinesisEndpoint;
import io.kinesisbridge.source.http.HttpListener;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.Route;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the bridge says when it starts: before Camel starts, it refuses a route that puts to a stream the
 * in-memory backend does not have (every record would be dead-lettered); once started, one short block — the
 * backend and its streams, each listener's bound address, the routes — then one line when readiness is first UP (or,
 * after a while, what it still waits for). A bridge without a route is not ready.
 */
final class StartupReport implements ExtendedStartupListener {

    private static final Logger LOG = LoggerFactory.getLogger("kinesis-bridge");
    private static final long SAY_WHAT_WAITS_AFTER_MS = 15_000;

    private final BridgeSettings settings;
    private final BridgeHealth health;
    private final long startedNanos;
    private ScheduledExecutorService readiness;

    StartupReport(BridgeSettings settings, BridgeHealth health, long startedNanos) {
        this.settings = settings;
        this.health = health;
        this.startedNanos = startedNanos;
    }

    /**
     * Refuses a route that puts to a stream the in-memory backend does not have: every record would be dead-lettered.
     * Called once the routes are configured and before Camel starts anything, so the refusal is the one line the
     * launcher prints (a failure while Camel starts is logged with its stack trace first).
     */
    static void requireStreams(CamelContext context) {
        KinesisBackend backend = context.getRegistry().lookupByNameAndType("kinesisBackend", KinesisBackend.class);
        if (backend instanceof InMemoryKinesis memory) {
            for (StreamTarget target : streamTargets(context)) {
                if (!memory.hasStream(target.stream())) {
                    String streams = context.resolvePropertyPlaceholders("{{bridge.streams}}");
                    throw new StartRefusedException("route " + target.routeId() + " puts to stream " + target.stream()
                            + ", which the in-memory backend does not have: add it to bridge.streams (e.g. bridge.streams="
                            + streams + "," + target.stream() + ":1)");
                }
            }
        }
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the block waits until every route has started: onCamelContextFullyStarted
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        if (context.getRoutes().isEmpty()) {
            health.down("routes", "no routes were loaded: add YAML routes to the routes directory (--routes DIR)");
        }
        LOG.info("{}", summary(context));
        readiness = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "readiness-report");
        long[] saidWhatWaits = {0};
        readiness.scheduleWithFixedDelay(
                () -> {
                    Collection<HealthCheck.Result> results = HealthCheckHelper.invokeReadiness(context);
                    long waitedMs = (System.nanoTime() - startedNanos) / 1_000_000;
                    if (HealthCheckHelper.isResultsUp(results, true)) {
                        LOG.info("ready in {} s", String.format("%.1f", waitedMs / 1000.0));
                        context.getExecutorServiceManager().shutdown(readiness);
                    } else if (waitedMs - saidWhatWaits[0] >= SAY_WHAT_WAITS_AFTER_MS) {
                        saidWhatWaits[0] = waitedMs;
                        LOG.warn(
                                "not ready after {} s: {}",
                                waitedMs / 1000,
                                results.stream()
                                        .filter(r -> r.getState() != HealthCheck.State.UP)
                                        .map(r -> r.getCheck().getId()
                                                + r.getMessage()
                                                        .map(m -> " (" + m + ")")
                                                        .orElse(""))
                                        .collect(Collectors.joining("; ")));
                    }
                },
                50,
                100,
                TimeUnit.MILLISECONDS);
    }

    /** A kinesis-put endpoint of a route, with its stream resolved. */
    record StreamTarget(String routeId, String stream) {}

    /** The streams the routes' kinesis-put endpoints name (a header may still override one per message). */
    static List<StreamTarget> streamTargets(CamelContext context) {
        List<StreamTarget> targets = new ArrayList<>();
        for (RouteDefinition route : ((ModelCamelContext) context).getRouteDefinitions()) {
            String autoStartup = route.getAutoStartup();
            if (autoStartup != null
                    && !Boolean.parseBoolean(
                            context.resolvePropertyPlaceholders(autoStartup).trim())) {
                continue;
            }
            collect(context, route.getRouteId(), route.getOutputs(), targets);
        }
        return targets;
    }

    private static void collect(
            CamelContext context, String routeId, List<ProcessorDefinition<?>> outputs, List<StreamTarget> into) {
        for (ProcessorDefinition<?> output : outputs) {
            if (output instanceof SendDefinition<?> send && send.getEndpointUri() != null) {
                String uri = context.resolvePropertyPlaceholders(send.getEndpointUri());
                if (uri.startsWith("kinesis-put:")) {
                    String stream = URISupport.stripQuery(uri.substring("kinesis-put:".length()))
                            .replaceFirst("^//", "");
                    into.add(new StreamTarget(routeId, stream));
                }
            }
            collect(context, routeId, output.getOutputs(), into);
        }
    }

    private String summary(CamelContext context) {
        StringBuilder s = new StringBuilder("kinesis-bridge ")
                .append(BridgeVersion.current())
                .append(": backend ")
                .append(settings.backend().name().toLowerCase(Locale.ROOT));
        KinesisBackend backend = context.getRegistry().lookupByNameAndType("kinesisBackend", KinesisBackend.class);
        if (backend instanceof InMemoryKinesis memory) {
            s.append(", streams ")
                    .append(memory.streamNames().stream()
                            .map(name ->
                                    name + " (" + memory.describe(name).shards().size() + " shards)")
                            .collect(Collectors.joining(", ")));
            s.append(settings.memory()
                    .persistDir()
                    .map(dir -> ", persisted in " + dir)
                    .orElse(", in memory only"));
        } else {
            settings.aws().region().ifPresent(region -> s.append(" in ").append(region));
        }
        HttpListener http = context.getRegistry().lookupByNameAndType("httpListener", HttpListener.class);
        if (http != null) {
            HttpSettings httpSettings = settings.http();
            String scheme = httpSettings.listener().tls().isEmpty() ? "http" : "https";
            line(
                    s,
                    "http",
                    scheme + "://" + httpSettings.listener().address().host() + ":" + http.port() + httpSettings.path(),
                    httpSettings.stream());
        }
        if (started(context, "syslog-tcp")) {
            SyslogSettings syslog = settings.syslog();
            line(s, "syslog", syslog.host() + ":" + syslog.port() + " (UDP and TCP)", syslog.stream());
        }
        FileSettings file = settings.file();
        if (started(context, "file-inbox")) {
            line(s, "inbox", file.inbox(), file.stream());
        }
        if (started(context, "file-tail") && !file.paths().isBlank()) {
            line(s, "tail", file.paths(), file.stream());
        }
        if (started(context, "mqtt-telemetry")) {
            MqttSettings mqtt = settings.mqtt();
            line(s, "mqtt", mqtt.brokerUrl() + " " + mqtt.topics(), mqtt.stream());
        }
        KinesisEndpoint endpoint = context.getRegistry().lookupByNameAndType("kinesisEndpoint", KinesisEndpoint.class);
        if (endpoint != null) {
            line(s, "kinesis", endpoint.url() + " (the Kinesis API over these streams)", null);
        }
        ManagementServer management =
                context.getRegistry().lookupByNameAndType("managementServer", ManagementServer.class);
        if (management != null) {
            line(
                    s,
                    "health",
                    "http://" + settings.management().address().host() + ":" + management.port()
                            + "/observe/health/ready",
                    null);
            if (context.getRegistry().lookupByName("webConsole") != null) {
                line(
                        s,
                        "console",
                        "http://" + settings.management().address().host() + ":" + management.port() + "/console/",
                        null);
            }
        }
        Set<String> running = new TreeSet<>();
        Set<String> off = new TreeSet<>();
        for (Route route : context.getRoutes()) {
            (context.getRouteController().getRouteStatus(route.getRouteId()).isStarted() ? running : off)
                    .add(route.getRouteId());
        }
        line(s, "routes", running.isEmpty() ? "none" : String.join(", ", running), null);
        if (!off.isEmpty()) {
            s.append(" (off: ").append(String.join(", ", off)).append(')');
        }
        return s.toString();
    }

    private static boolean started(CamelContext context, String routeId) {
        return context.getRoute(routeId) != null
                && context.getRouteController().getRouteStatus(routeId).isStarted();
    }

    private static void line(StringBuilder s, String what, String where, String stream) {
        s.append(String.format("%n  %-8s %s", what, where));
        if (stream != null) {
            s.append(" -> ").append(stream);
        }
    }
}
