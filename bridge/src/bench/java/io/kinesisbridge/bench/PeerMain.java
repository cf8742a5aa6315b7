package io.kinesisbridge.bench;

import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The peer: what a Camel user writes with camel-aws2-kinesis 4.17.0 — a file split into lines, the partition key
 * taken from each line's JSON, one aws2-kinesis PutRecord per line — in a process of its own. The warm-up file goes
 * first, unmeasured; then it prints {@code BENCH peer RECORDS SECONDS CPU_SECONDS PEAK_RSS_MIB} for the measured
 * file, from its first line to the last answer.
 *
 * <pre>PeerMain ENDPOINT_URL STREAM WARMUP_FILE FILE</pre>
 */
public final class PeerMain {

    private PeerMain() {}

    public static void main(String[] args) throws Exception {
        // the benchmark profile adds the Apache client, the SDK's default that a Camel user of aws2-kinesis gets;
        // the JDK URL-connection client the bridge uses for STS is on the class path too
        System.setProperty(
                "software.amazon.awssdk.http.service.impl", "software.amazon.awssdk.http.apache.ApacheSdkHttpService");
        String endpoint = args[0];
        String stream = args[1];
        Path warmup = Path.of(args[2]);
        Path file = Path.of(args[3]);
        FileRun run = new FileRun(Path.of("in").toAbsolutePath());
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("file:" + run.inbox + "?noop=true&initialDelay=0&delay=20")
                            .process(e -> run.fileStarted())
                            .split(body().tokenize("\n"))
                            .streaming()
                            .stopOnException()
                            .setHeader("CamelAwsKinesisPartitionKey")
                            .jsonpath("$.userId")
                            .to(
                                    "aws2-kinesis:" + stream + "?overrideEndpoint=true&uriEndpointOverride=" + endpoint
                                            + "&region=us-east-1&accessKey=RAW(AKIDBENCH)&secretKey=RAW(bench)&cborEnabled=false")
                            .end()
                            .process(e -> run.fileDone());
                }
            });
            camel.start();
            run.measure("peer", warmup, file, FileRun.lines(file));
        }
        System.exit(0);
    }
}
