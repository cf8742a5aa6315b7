package io.kinesisbridge.source.mqtt;

import io.kinesisbridge.put.KinesisException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckAware;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects in the background (retrying with backoff while the broker is away), hands each message to the route,
 * and acknowledges a QoS 1/2 message, in arrival order, once the route is done with it. A route that fails (the
 * bridge saturated for too long) gets the message again after a pause; a message still in the route when the
 * connection drops or the bridge stops is not acknowledged, so the broker delivers it again to the next session.
 */
final class MqttAckConsumer extends DefaultConsumer implements MqttConnection.Listener, HealthCheckAware {

    private static final Logger LOG = LoggerFactory.getLogger(MqttAckConsumer.class);

    private record Received(String topic, byte[] payload, int qos, boolean retained, boolean duplicate) {}

    /** One connection and the acknowledgements owed on it. */
    private record Session(MqttConnection connection, AckWindow window) {}

    private final MqttAckEndpoint endpoint;
    private ScheduledExecutorService scheduler;
    private volatile Session session;
    /** The session whose subscription the broker confirmed: until then what is published does not reach us. */
    private volatile Session subscribed;

    private volatile boolean running;
    private int failedAttempts;
    private boolean warned;

    private HealthCheck healthCheck = new AbstractHealthCheck("mqtt", "mqtt-" + "connection") {
        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            builder.detail("broker", endpoint.settings().brokerUrl());
            Session s = session;
            if (s != null && s == subscribed) {
                builder.up();
            } else {
                builder.message("not connected to the MQTT broker "
                        + endpoint.settings().brokerUrl() + "; retrying");
                builder.down();
            }
        }
    };

    MqttAckConsumer(MqttAckEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    /** Ready while connected to the broker: a consumer that cannot receive is not ready. */
    @Override
    public HealthCheck getHealthCheck() {
        return healthCheck;
    }

    @Override
    public void setHealthCheck(HealthCheck healthCheck) {
        this.healthCheck = healthCheck;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        running = true;
        scheduler = getEndpoint()
                .getCamelContext()
                .getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "mqtt-ack-" + endpoint.getName());
        scheduler.execute(this::connect);
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        Session s = session;
        session = null;
        if (scheduler != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(scheduler);
            scheduler = null;
        }
        if (s != null) {
            s.window().awaitEmpty(TimeUnit.SECONDS.toMillis(endpoint.getConnectTimeout()));
            s.connection().close();
        }
        super.doStop();
    }

    private void connect() {
        if (!running) {
            return;
        }
        MqttSettings settings = endpoint.settings();
        Session s = new Session(endpoint.newConnection(this), new AckWindow());
        session = s;
        try {
            s.connection().connect(settings.topicFilters(), settings.qos());
            subscribed = s;
            LOG.info(
                    "MQTT {}: connected to {} (MQTT {}), subscribed to {} at QoS {}",
                    endpoint.getName(),
                    settings.brokerUrl(),
                    settings.version() == MqttSettings.MqttVersion.V5 ? "5" : "3.1.1",
                    settings.topicFilters(),
                    settings.qos());
            failedAttempts = 0;
            warned = false;
        } catch (Exception e) {
            session = null;
            s.connection().close();
            long delay = backoff();
            if (!warned) {
                LOG.warn(
                        "MQTT {}: broker {} not reachable ({}); retrying in the background, at most {} ms apart",
                        endpoint.getName(),
                        settings.brokerUrl(),
                        reason(e),
                        endpoint.getReconnectMaxDelay());
                warned = true;
            } else {
                LOG.debug(
                        "MQTT {}: broker {} still not reachable ({}); next try in {} ms",
                        endpoint.getName(),
                        settings.brokerUrl(),
                        reason(e),
                        delay);
            }
            schedule(delay);
        }
    }

    private long backoff() {
        int n = Math.min(failedAttempts++, 20);
        long cap = Math.min(endpoint.getReconnectMaxDelay(), endpoint.getReconnectDelay() << n);
        return cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
    }

    private void schedule(long delayMs) {
        ScheduledExecutorService s = scheduler;
        if (running && s != null && !s.isShutdown()) {
            s.schedule(this::connect, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void lost(Throwable cause) {
        Session s = session;
        if (!running || s == null) {
            return;
        }
        synchronized (this) {
            if (session != s) {
                return; // already handled (Paho may report one loss twice)
            }
            session = null;
        }
        LOG.warn(
                "MQTT {}: connection to {} lost ({}); reconnecting",
                endpoint.getName(),
                endpoint.settings().brokerUrl(),
                reason(cause));
        ScheduledExecutorService sched = scheduler;
        if (sched != null && !sched.isShutdown()) {
            sched.execute(() -> {
                s.connection().close();
                schedule(backoff());
            });
        }
    }

    @Override
    public void message(String topic, byte[] payload, int qos, int id, boolean retained, boolean duplicate) {
        Session s = session;
        if (!running || s == null) {
            return; // not acknowledged: delivered again to the next session
        }
        AckWindow.Entry entry = qos > 0 ? s.window().arrived(id, qos) : null;
        process(new Received(topic, payload, qos, retained, duplicate), s, entry, 0);
    }

    private void process(Received r, Session s, AckWindow.Entry entry, int attempt) {
        Exchange exchange = createExchange(false);
        Message m = exchange.getMessage();
        m.setBody(r.payload());
        m.setHeader(MqttAckConstants.TOPIC, r.topic());
        m.setHeader(MqttAckConstants.QOS, r.qos());
        m.setHeader(MqttAckConstants.RETAINED, r.retained());
        m.setHeader(MqttAckConstants.DUPLICATE, r.duplicate() || attempt > 0);
        getAsyncProcessor().process(exchange, doneSync -> {
            Exception failure = exchange.getException();
            releaseExchange(exchange, false);
            if (failure != null) {
                if (running && session == s) {
                    long delay = Math.min(
                            endpoint.getReconnectMaxDelay(), endpoint.getReconnectDelay() << Math.min(attempt, 10));
                    // neither the topic nor the exception's message: either may name a person (a topic segment is
                    // often the partition key, and route errors may quote the message)
                    LOG.warn(
                            "MQTT {}: a message failed in the route ({}); it is not acknowledged and tried again in {} ms",
                            endpoint.getName(),
                            kindOf(failure),
                            delay);
                    ScheduledExecutorService sched = scheduler;
                    if (sched != null && !sched.isShutdown()) {
                        sched.schedule(() -> process(r, s, entry, attempt + 1), delay, TimeUnit.MILLISECONDS);
                    }
                }
                return;
            }
            if (entry != null) {
                acknowledge(s, s.window().done(entry));
            }
        });
    }

    private void acknowledge(Session s, List<AckWindow.Entry> ready) {
        if (ready.isEmpty() || session != s && running) {
            return; // a new connection: the broker redelivers what the old one did not acknowledge
        }
        for (AckWindow.Entry e : ready) {
            try {
                s.connection().ack(e.id, e.qos);
            } catch (Exception ex) {
                LOG.debug(
                        "MQTT {}: acknowledgement of message {} not sent ({}); the broker will deliver it again",
                        endpoint.getName(),
                        e.id,
                        reason(ex));
                return;
            }
        }
    }

    /** What failed, without any message text: a Kinesis error code, or the exception's class. */
    private static String kindOf(Throwable t) {
        return t instanceof KinesisException k ? k.errorCode() : t.getClass().getSimpleName();
    }

    private static String reason(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = t.getMessage();
        String rootMsg = root == t ? null : root.getMessage();
        return (msg == null ? t.getClass().getSimpleName() : msg) + (rootMsg == null ? "" : ": " + rootMsg);
    }
}
