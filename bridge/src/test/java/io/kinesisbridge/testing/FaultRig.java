package io.kinesisbridge.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The pieces the fault tests share: the bridge under test, on the AWS backend, pointed at a {@link KinesisSink}. */
public final class FaultRig {

    public static final String STREAM = "clickstream";

    private FaultRig() {}

    /** Settings of a bridge that takes HTTP events into {@link #STREAM} of the sink, as it would into Kinesis. */
    public static Map<String, String> bridgeOnSink(KinesisSink sink, int httpPort) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("bridge.backend", "aws");
        s.put("bridge.aws.region", "us-east-1");
        s.put("bridge.aws.endpoint-override", sink.url());
        s.put("bridge.aws.credentials", "static");
        s.put("bridge.aws.access-key-id", "AKIDFAULTTESTS");
        s.put("bridge.aws.secret-access-key", "fault-tests-secret-key");
        s.put("bridge.aws.connect-timeout-ms", "500");
        s.put("bridge.aws.attempt-timeout-ms", "5000");
        s.put("bridge.endpoint.enabled", "false");
        s.put("bridge.http.enabled", "true");
        s.put("bridge.http.port", String.valueOf(httpPort));
        s.put("bridge.http.stream", STREAM);
        s.put("bridge.shutdown-timeout-ms", "5000");
        return s;
    }

    /** Waits until the bridge's metrics say every record it took is acknowledged or dead-lettered, and returns them. */
    public static Accounting awaitSettled(BridgeProcess bridge, Duration atMost) {
        Accounting[] last = new Accounting[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            last[0] = Accounting.of(bridge.metricsText(), STREAM);
            last[0].assertSettled();
        });
        return last[0];
    }
}
