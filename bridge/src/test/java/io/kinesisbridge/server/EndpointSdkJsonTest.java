package io.kinesisbridge.server;

import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * The SDK contract in JSON 1.1. The SDK decides its encoding when the client is built, from the system property
 * {@code aws.cborEnabled} (or the environment variable {@code CBOR_ENABLED}): the property is set around the
 * client's creation only (test code: production code never sets it).
 */
@ResourceLock(Resources.SYSTEM_PROPERTIES)
class EndpointSdkJsonTest extends EndpointSdkContract {

    @Override
    WireFormat encoding() {
        return WireFormat.JSON;
    }

    @Override
    KinesisAsyncClient client(String url) {
        return SdkClients.jsonKinesis(url);
    }
}
