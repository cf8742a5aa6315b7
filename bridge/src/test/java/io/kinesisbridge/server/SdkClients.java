package io.kinesisbridge.server;

import java.io.IOException;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * The AWS SDK v2 async Kinesis client pointed at a local endpoint: dummy credentials, HTTP/1.1, and no retries but of
 * a request whose connection closed under it. The endpoint closes a keep-alive connection during a request now and
 * then (about once in several thousand requests on a loaded machine; a known fault, not yet found); every SDK retries
 * that by default, and the tests check answers, not that.
 */
public final class SdkClients {

    static final String CBOR_PROPERTY = "aws.cborEnabled";
    /** One set of Netty threads for every test client: a client that owns its threads takes 2 s to close. */
    private static final SdkEventLoopGroup SHARED_LOOPS =
            SdkEventLoopGroup.builder().numberOfThreads(2).build();

    private SdkClients() {}

    public static KinesisAsyncClient kinesis(String url) {
        return kinesis(url, 50);
    }

    /**
     * A client that speaks JSON 1.1: the SDK reads {@code aws.cborEnabled} when the client is built, so the
     * property is set around the build only.
     */
    public static synchronized KinesisAsyncClient jsonKinesis(String url) {
        String before = System.getProperty(CBOR_PROPERTY);
        System.setProperty(CBOR_PROPERTY, "false");
        try {
            return kinesis(url);
        } finally {
            if (before == null) {
                System.clearProperty(CBOR_PROPERTY);
            } else {
                System.setProperty(CBOR_PROPERTY, before);
            }
        }
    }

    private static boolean connectionClosed(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return error instanceof SdkClientException
                && String.valueOf(error.getMessage()).contains("connection was closed");
    }

    @SuppressWarnings("deprecation") // RetryPolicy: the retry strategies that replace it get the AWS conditions added
    public static KinesisAsyncClient kinesis(String url, int maxConcurrency) {
        return KinesisAsyncClient.builder()
                .endpointOverride(URI.create(url))
                .region(Region.US_EAST_1)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "secret")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .protocol(Protocol.HTTP1_1)
                        .maxConcurrency(maxConcurrency)
                        .eventLoopGroup(SHARED_LOOPS))
                // a retry condition of its own: a retry strategy set here gets the AWS conditions (throttling, 5xx)
                // added by the client builder, which the tests of those answers must see
                .overrideConfiguration(c -> c.retryPolicy(RetryPolicy.builder()
                        .numRetries(2)
                        .retryCondition(context -> connectionClosed(context.exception()))
                        .build()))
                .build();
    }
}
