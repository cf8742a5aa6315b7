package io.kinesisbridge.backend.aws;

import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * kinesalite (npm) started from node, bound to 127.0.0.1 on a free port, with a JSON client to create and read
 * streams. Found in -Dkinesalite.dir or .tools/kinesalite (where .ci/run installs it); missing, a test fails under
 * CI=true and is skipped otherwise.
 */
public final class Kinesalite implements AutoCloseable {

    private final Process process;
    private final int port;
    private final KinesisAsyncClient client;

    private Kinesalite(Process process, int port) {
        this.process = process;
        this.port = port;
        this.client = KinesisAsyncClient.builder()
                .endpointOverride(uri()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDKINESALITE", "x")))
                .httpClient(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1).build())
                // kinesalite stores CBOR records broken: JSON for this client only
                .overrideConfiguration(ClientOverrideConfiguration.builder().addExecutionInterceptor(new WireFormatInterceptor(false)).build())
                .build();
    }

    static Path home() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getProperty("kinesalite.dir");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        candidates.add(Path.of(".tools/kinesalite").toAbsolutePath());
        for (Path p : candidates) {
            if (Files.isDirectory(p.resolve("node_modules/kinesalite"))) {
                return p;
            }
        }
        String missing = "kinesalite is not installed (npm install --prefix .tools/kinesalite kinesalite@3.3.3); looked in " + candidates;
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(missing);
        }
        Assumptions.abort(missing);
        return null;
    }

    public static Kinesalite start() throws IOException {
        Path home = home();
        int port = freePort();
        String script = "require('kinesalite')({createStreamMs:0,deleteStreamMs:0,updateStreamMs:0,shardLimit:1000})"
                + ".listen(" + port + ",'127.0.0.1')";
        Process process = new ProcessBuilder("node", "-e", script).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("kinesalite exited with " + process.exitValue());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return new Kinesalite(process, port);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public void createStream(String name, int shards) {
        client.createStream(r -> r.streamName(name).shardCount(shards)).join();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                client.describeStreamSummary(r -> r.streamName(name)).join().streamDescriptionSummary().streamStatus()
                        == StreamStatus.ACTIVE);
    }

    /** Every record of the stream, shard by shard, each shard in sequence order. */
    public List<Record> readAll(String name) {
        List<Record> all = new ArrayList<>();
        for (Shard shard : client.listShards(r -> r.streamName(name)).join().shards()) {
            String iterator = client.getShardIterator(r -> r.streamName(name).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).join().shardIterator();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse page = client.getRecords(r -> r.shardIterator(current).limit(10_000)).join();
                all.addAll(page.records());
                if (page.records().isEmpty()) {
                    break;
                }
                iterator = page.nextShardIterator();
            }
        }
        return all;
    }

    KinesisAsyncClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
