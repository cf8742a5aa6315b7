package io.kinesisbridge.bench;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * The peer: what a Camel user writes with camel-aws2-kinesis 4.17.0 — a file split into lines, the partition key
 * taken from each line's JSON, one aws2-kinesis PutRecord per line — in a process of its own. Prints
 * {@code BENCH peer RECORDS SECONDS CPU_SECONDS PEAK_RSS_MIB}, measured from the first line to the last answer.
 *
 * <pre>PeerMain ENDPOINT_URL STREAM FILE</pre>
 */
public final class PeerMain {

    private PeerMain() {
    }

    public static void main(String[] args) throws Exception {
        // the benchmark profile adds the Apache client, the SDK's default that a Camel user of aws2-kinesis gets;
        // the JDK URL-connection client the bridge uses for STS is on the class path too
        System.setProperty("software.amazon.awssdk.http.service.impl", "software.amazon.awssdk.http.apache.ApacheSdkHttpService");
        String endpoint = args[0];
        String stream = args[1];
        Path file = Path.of(args[2]).toAbsolutePath();
        long self = ProcessHandle.current().pid();
        LongAdder sent = new LongAdder();
        long[] first = new long[1];
        double[] firstCpu = new double[1];
        CountDownLatch done = new CountDownLatch(1);
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("file:" + file.getParent() + "?fileName=" + file.getFileName() + "&noop=true&initialDelay=0")
                            .split(body().tokenize("\n")).streaming().stopOnException()
                                .process(e -> {
                                    if (first[0] == 0) {
                                        first[0] = System.nanoTime();
                                        firstCpu[0] = Proc.cpuSeconds(self);
                                    }
                                })
                                .setHeader("CamelAwsKinesisPartitionKey").jsonpath("$.userId")
                                .to("aws2-kinesis:" + stream + "?overrideEndpoint=true&uriEndpointOverride=" + endpoint
                                        + "&region=us-east-1&accessKey=RAW(AKIDBENCH)&secretKey=RAW(bench)&cborEnabled=false")
                                .process(e -> sent.increment())
                            .end()
                            .process(e -> done.countDown());
                }
            });
            camel.start();
            done.await();
            double seconds = (System.nanoTime() - first[0]) / 1e9;
            double cpu = Proc.cpuSeconds(self) - firstCpu[0];
            System.out.printf(Locale.ROOT, "%speer %d %.3f %.3f %.1f%n", Child.RESULT_PREFIX, sent.sum(), seconds, cpu,
                    Proc.peakRssMiB(self));
        }
        System.exit(0);
    }
}
