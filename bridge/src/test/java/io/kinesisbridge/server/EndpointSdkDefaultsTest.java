package io.kinesisbridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The SDK's KinesisAsyncClient with nothing changed but the endpoint: it speaks HTTP/2 without TLS (prior
 * knowledge) to an http:// endpoint, which kinesalite cannot answer ("First received frame was not SETTINGS");
 * the bridge's endpoint can.
 */
class EndpointSdkDefaultsTest {

    @Test
    void theDefaultAsyncClient_http2AndCbor_works() {
        try (RunningEndpoint server = RunningEndpoint.start();
                KinesisAsyncClient kinesis = KinesisAsyncClient.builder()
                        .endpointOverride(URI.create(server.url()))
                        .region(Region.US_EAST_1)
                        .credentialsProvider(
                                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "secret")))
                        .build()) {
            server.store.createStream("defaults", 1);
            kinesis.putRecord(b -> b.streamName("defaults").partitionKey("k").data(SdkBytes.fromUtf8String("over h2")))
                    .join();
            String it = kinesis.getShardIterator(b -> b.streamName("defaults")
                            .shardId("shardId-000000000000")
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                    .join()
                    .shardIterator();
            assertThat(kinesis.getRecords(b -> b.shardIterator(it)).join().records())
                    .extracting(r -> r.data().asUtf8String())
                    .containsExactly("over h2");
            assertThat(server.api.requests(WireFormat.CBOR)).isEqualTo(3);
        }
    }
}
