package io.kinesisbridge.console;

import io.kinesisbridge.component.KinesisPutComponent;
import io.kinesisbridge.dispatch.DispatchStats;
import io.kinesisbridge.dispatch.StreamDispatcher;
import io.kinesisbridge.health.BridgeHealth;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;

/**
 * The routes with their state and counters, and the sources' status, as far as the bridge already keeps them: Camel's
 * route status and in-flight exchanges, the route meters of Camel's Micrometer support (when metrics are on), the
 * counters of the streams each route puts to, the health checks, the bridge's own problems and the listeners'
 * open connections.
 */
final class RoutesView {

    private static final String PUT_SCHEME = "kinesis-put:";

    private final CamelContext context;

    RoutesView(CamelContext context) {
        this.context = context;
    }

    /** Runs the health checks, which may wait on the backend: call it off the event loop. */
    Map<String, Object> build() {
        Map<String, StreamDispatcher> dispatchers =
                context.hasComponent("kinesis-put") instanceof KinesisPutComponent c ? c.dispatchers() : Map.of();
        Optional<MeterRegistry> registry =
                context.getRegistry().findByType(MeterRegistry.class).stream().findFirst();
        List<Map<String, Object>> routes = new ArrayList<>();
        List<Route> all = new ArrayList<>(context.getRoutes());
        all.sort(Comparator.comparing(Route::getRouteId));
        for (Route route : all) {
            String id = route.getRouteId();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", id);
            r.put("description", Optional.ofNullable(route.getDescription()).orElse(""));
            ServiceStatus status = context.getRouteController().getRouteStatus(id);
            r.put("status", status == null ? "Unknown" : status.name());
            r.put("from", route.getEndpoint().getEndpointBaseUri());
            r.put("inflight", context.getInflightRepository().size(id));
            registry.ifPresent(reg -> r.put("exchanges", exchangeCounters(reg, id)));
            List<Map<String, Object>> streams = new ArrayList<>();
            for (String stream : streamsOf(id)) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("stream", stream);
                Optional<DispatchStats> stats =
                        Optional.ofNullable(dispatchers.get(stream)).map(StreamDispatcher::stats);
                s.put("in", stats.map(DispatchStats::recordsIn).orElse(0L));
                s.put(
                        "acknowledged",
                        stats.map(DispatchStats::recordsAcknowledged).orElse(0L));
                s.put(
                        "deadLettered",
                        stats.map(DispatchStats::recordsDeadLettered).orElse(0L));
                s.put("spooled", stats.map(DispatchStats::recordsSpooled).orElse(0L));
                s.put("returned", stats.map(DispatchStats::recordsReturned).orElse(0L));
                streams.add(s);
            }
            r.put("streams", streams);
            routes.add(r);
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("routes", routes);
        view.put("checks", checks());
        BridgeHealth health = context.getRegistry().lookupByNameAndType("bridgeHealth", BridgeHealth.class);
        view.put("problems", health == null ? Map.of() : health.problems());
        view.put("listeners", registry.map(RoutesView::listeners).orElse(Map.of()));
        return view;
    }

    /** The streams the route's kinesis-put endpoints name, placeholders resolved. */
    private Set<String> streamsOf(String routeId) {
        Set<String> streams = new LinkedHashSet<>();
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        RouteDefinition definition = model == null ? null : model.getRouteDefinition(routeId);
        if (definition == null) {
            return streams;
        }
        for (ToDefinition to :
                ProcessorDefinitionHelper.filterTypeInOutputs(definition.getOutputs(), ToDefinition.class)) {
            String uri = to.getEndpointUri();
            if (uri != null && uri.startsWith(PUT_SCHEME)) {
                String resolved = context.resolvePropertyPlaceholders(uri).substring(PUT_SCHEME.length());
                int query = resolved.indexOf('?');
                streams.add(query < 0 ? resolved : resolved.substring(0, query));
            }
        }
        return streams;
    }

    /** camel.exchanges.total, .failed, .succeeded … of the route, by the last part of the name. */
    private static Map<String, Long> exchangeCounters(MeterRegistry registry, String routeId) {
        Map<String, Long> counters = new TreeMap<>();
        for (Meter meter : registry.getMeters()) {
            String name = meter.getId().getName();
            if (name.startsWith("camel.exchanges.")
                    && routeId.equals(meter.getId().getTag("routeId"))) {
                counters.put(name.substring("camel.exchanges.".length()), value(meter));
            }
        }
        return counters;
    }

    private static Map<String, Long> listeners(MeterRegistry registry) {
        Map<String, Long> open = new TreeMap<>();
        for (Meter meter :
                registry.find("kinesis.bridge.listener.connections.open").meters()) {
            open.put(meter.getId().getTag("listener"), value(meter));
        }
        return open;
    }

    private static long value(Meter meter) {
        for (Measurement m : meter.measure()) {
            return (long) m.getValue();
        }
        return 0;
    }

    private List<Map<String, Object>> checks() {
        if (!context.isStarted()) {
            return List.of();
        }
        List<Map<String, Object>> checks = new ArrayList<>();
        for (HealthCheck.Result result : HealthCheckHelper.invoke(context)) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", result.getCheck().getId());
            c.put("state", result.getState().name());
            c.put("message", result.getMessage().orElse(""));
            checks.add(c);
        }
        checks.sort(Comparator.comparing(c -> (String) c.get("id")));
        return checks;
    }
}
