package io.kinesisbridge.bench;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * The floor a Camel route reaches on this machine: a file read by camel-file, split into lines, each line's MD5 and
 * base64 computed and kept in a list; no validation, no network. Prints {@code BENCH floor RECORDS SECONDS CPU_SECONDS
 * PEAK_RSS_MIB}, measured from the first line to the last.
 *
 * <pre>CamelFloorMain FILE</pre>
 */
public final class CamelFloorMain {

    private CamelFloorMain() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]).toAbsolutePath();
        long self = ProcessHandle.current().pid();
        List<String> kept = new ArrayList<>();
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        Base64.Encoder base64 = Base64.getEncoder();
        long[] first = new long[1];
        double[] firstCpu = new double[1];
        CountDownLatch done = new CountDownLatch(1);
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("file:" + file.getParent() + "?fileName=" + file.getFileName() + "&noop=true&initialDelay=0")
                            .split(body().tokenize("\n")).streaming()
                                .process(e -> {
                                    if (first[0] == 0) {
                                        first[0] = System.nanoTime();
                                        firstCpu[0] = Proc.cpuSeconds(self);
                                    }
                                    byte[] line = e.getMessage().getBody(String.class).getBytes(StandardCharsets.UTF_8);
                                    byte[] digest = md5.digest(line);
                                    kept.add(base64.encodeToString(line) + digest[0]);
                                })
                            .end()
                            .process(e -> done.countDown());
                }
            });
            camel.start();
            done.await();
            double seconds = (System.nanoTime() - first[0]) / 1e9;
            double cpu = Proc.cpuSeconds(self) - firstCpu[0];
            System.out.printf(Locale.ROOT, "%sfloor %d %.3f %.3f %.1f%n", Child.RESULT_PREFIX, kept.size(), seconds, cpu,
                    Proc.peakRssMiB(self));
        }
        System.exit(0);
    }
}
