package io.kinesisbridge.app;

import io.kinesisbridge.health.BridgeHealth;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness of the bridge's own parts: DOWN while {@link BridgeHealth} holds a problem, each named with its reason. */
public final class BridgeHealthCheck extends AbstractHealthCheck {

    private final BridgeHealth health;

    public BridgeHealthCheck(BridgeHealth health) {
        super("kinesis-bridge", "bridge");
        this.health = health;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Map<String, String> problems = health.problems();
        if (problems.isEmpty()) {
            builder.up();
            return;
        }
        problems.forEach((part, reason) -> builder.detail(part, reason));
        builder.message("not working: " + String.join(", ", problems.keySet()));
        builder.down();
    }
}
