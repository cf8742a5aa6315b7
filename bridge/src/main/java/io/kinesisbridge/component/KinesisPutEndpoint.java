package io.kinesisbridge.component;

import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Puts each exchange (or, with batch=true, each element of its body) as a record to a Kinesis stream: validated
 * as AWS validates, keyed as configured, ordered per key, acknowledged when Kinesis accepted it, and written to the
 * dead-letter output with its reason when it is rejected.
 */
@UriEndpoint(
        firstVersion = "0.1.0",
        scheme = "kinesis-put",
        title = "Kinesis Put",
        syntax = "kinesis-put:streamName",
        producerOnly = true,
        category = {Category.CLOUD, Category.MESSAGING},
        headersClass = KinesisPutConstants.class)
public class KinesisPutEndpoint extends DefaultEndpoint {

    @UriPath(description = "Name of the Kinesis data stream to put records to.")
    @Metadata(required = true)
    private final String streamName;

    @UriParam
    private KinesisPutConfiguration configuration;

    private KeySource partitionKeySource;
    private KeySource partitionKeyFallback;
    private KeySource explicitHashKeySource;
    private Semaphore inFlight;

    public KinesisPutEndpoint(
            String uri, KinesisPutComponent component, String streamName, KinesisPutConfiguration configuration) {
        super(uri, component);
        this.streamName = streamName;
        this.configuration = configuration;
    }

    @Override
    public KinesisPutComponent getComponent() {
        return (KinesisPutComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new KinesisPutProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("kinesis-put only sends: it has no consumer");
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        partitionKeySource = parse("partitionKey", configuration.getPartitionKey());
        partitionKeyFallback = parse("partitionKeyFallback", configuration.getPartitionKeyFallback());
        if (partitionKeyFallback != null
                && !(partitionKeyFallback instanceof KeySource.RandomKey
                        || partitionKeyFallback instanceof KeySource.DataHash
                        || partitionKeyFallback instanceof KeySource.Constant)) {
            throw new IllegalArgumentException(
                    getEndpointUri() + ": partitionKeyFallback must be random, hash or const:VALUE");
        }
        explicitHashKeySource = parse("explicitHashKey", configuration.getExplicitHashKey());
        if (configuration.getMaxInFlightRecords() < 1) {
            throw new IllegalArgumentException(getEndpointUri() + ": maxInFlightRecords must be at least 1");
        }
        inFlight = new Semaphore(configuration.getMaxInFlightRecords());
    }

    private KeySource parse(String option, String spec) {
        if (spec == null || spec.isBlank()) {
            return null;
        }
        try {
            return KeySource.parse(spec, getCamelContext());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(getEndpointUri() + ": option " + option + ": " + e.getMessage(), e);
        }
    }

    /** Takes room for {@code records} in-flight records, waiting or not as whenSaturated says. */
    boolean acquire(int records) throws InterruptedException {
        int permits = Math.min(records, configuration.getMaxInFlightRecords());
        if (configuration.getWhenSaturated() == WhenSaturated.REJECT) {
            return inFlight.tryAcquire(permits);
        }
        return inFlight.tryAcquire(permits, configuration.getSaturationTimeout(), TimeUnit.MILLISECONDS);
    }

    /** How long a record may wait for room in its stream's pending-bytes budget: as long as BLOCK waits, or not at all. */
    Duration admissionWait() {
        return configuration.getWhenSaturated() == WhenSaturated.REJECT
                ? Duration.ZERO
                : Duration.ofMillis(configuration.getSaturationTimeout());
    }

    void release(int records) {
        inFlight.release(Math.min(records, configuration.getMaxInFlightRecords()));
    }

    KinesisException saturated() {
        return KinesisException.of(
                new KinesisError(
                        KinesisError.BRIDGE_SATURATED,
                        "kinesis-put:" + streamName
                                + " has " + configuration.getMaxInFlightRecords()
                                + " records in flight (maxInFlightRecords); "
                                + "try again later"),
                streamName,
                null);
    }

    public String getStreamName() {
        return streamName;
    }

    public KinesisPutConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(KinesisPutConfiguration configuration) {
        this.configuration = configuration;
    }

    Optional<KeySource> partitionKeySource() {
        return Optional.ofNullable(partitionKeySource);
    }

    Optional<KeySource> partitionKeyFallback() {
        return Optional.ofNullable(partitionKeyFallback);
    }

    Optional<KeySource> explicitHashKeySource() {
        return Optional.ofNullable(explicitHashKeySource);
    }
}
