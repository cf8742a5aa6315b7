package io.kinesisbridge.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The floor a Camel route reaches on this machine: a file read by camel-file, split into lines, each line's MD5 and
 * base64 computed and kept in a list; no validation, no network. The warm-up file goes first, unmeasured; then it
 * prints {@code BENCH floor RECORDS SECONDS CPU_SECONDS PEAK_RSS_MIB} for the measured file, from its first line to
 * its last.
 *
 * <pre>CamelFloorMain WARMUP_FILE FILE</pre>
 */
public final class CamelFloorMain {

    private CamelFloorMain() {}

    public static void main(String[] args) throws Exception {
        Path warmup = Path.of(args[0]);
        Path file = Path.of(args[1]);
        FileRun run = new FileRun(Path.of("in").toAbsolutePath());
        List<String> kept = new ArrayList<>();
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        Base64.Encoder base64 = Base64.getEncoder();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("file:" + run.inbox + "?noop=true&initialDelay=0&delay=20")
                            .process(e -> run.fileStarted())
                            .split(body().tokenize("\n"))
                            .streaming()
                            .process(e -> {
                                byte[] line =
                                        e.getMessage().getBody(String.class).getBytes(StandardCharsets.UTF_8);
                                byte[] digest = md5.digest(line);
                                kept.add(base64.encodeToString(line) + digest[0]);
                            })
                            .end()
                            .process(e -> run.fileDone());
                }
            });
            camel.start();
            run.measure("floor", warmup, file, FileRun.lines(file));
        }
        System.exit(0);
    }
}
