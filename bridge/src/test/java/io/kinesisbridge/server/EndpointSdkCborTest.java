package io.kinesisbridge.server;

import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/** The SDK contract with the SDK's default encoding, CBOR 1.1. */
class EndpointSdkCborTest extends EndpointSdkContract {

    @Override
    WireFormat encoding() {
        return WireFormat.CBOR;
    }

    @Override
    KinesisAsyncClient client(String url) {
        return SdkClients.kinesis(url);
    }
}
