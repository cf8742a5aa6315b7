package io.kinesisbridge.source.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.deadletter.DeadLetter;
import io.kinesisbridge.health.BridgeHealth;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errors (OutOfMemoryError and the like) in an inbox-like route on real files: an Error while reading fails that
 * file only (to .failed/ with a dead letter, readiness DOWN until a later file is read), and an Error that escapes
 * the route, which stops Camel's polling for good, turns readiness DOWN.
 */
class InboxErrorsRouteTest extends CamelTestSupport {

    @TempDir
    Path dir;

    private final BridgeHealth health = new BridgeHealth();
    private final List<DeadLetter> letters = new CopyOnWriteArrayList<>();
    private final InboxWatch watch = new InboxWatch(health, Duration.ofSeconds(1));

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.setStreamCaching(false); // the stream below must reach the reader, as a file's content does
        context.getShutdownStrategy().setTimeout(1); // the exchange the Error stopped never completes
        FileDeadLetters deadLetters = new FileDeadLetters(letters::add, "logs", 1024, Clock.systemUTC());
        context.getRegistry().bind("fileLines", new FileLines(100, deadLetters, new RegularFiles(false), health));
        context.getRegistry().bind("inboxWatch", watch);
        context.addService(watch);
        return context;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("file:" + dir.resolve("reading") + "?move=.done&moveFailed=.failed&delay=50&initialDelay=0")
                        .process(e -> {
                            if (e.getMessage()
                                    .getHeader("CamelFileName", String.class)
                                    .startsWith("boom")) {
                                e.getMessage().setBody(new InputStream() {
                                    @Override
                                    public int read() {
                                        throw new OutOfMemoryError("Java heap space (simulated)");
                                    }
                                });
                            }
                        })
                        .split(method("fileLines", "batches"))
                        .streaming()
                        .stopOnException()
                        .to("mock:lines");
                from("file:" + dir.resolve("escaping")
                                + "?move=.done&moveFailed=.failed&delay=50&initialDelay=0&pollStrategy=#inboxWatch")
                        .process(e -> {
                            throw new OutOfMemoryError("Java heap space (simulated, outside the reader)");
                        });
            }
        };
    }

    @Test
    void errorWhileReading_movesTheFileToFailed_withADeadLetter_andReadinessIsDownUntilALaterFileIsRead()
            throws Exception {
        Path inbox = dir.resolve("reading");
        Files.createDirectories(inbox);
        Files.writeString(inbox.resolve("boom.log"), "anything\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(inbox.resolve(".failed/boom.log")));
        assertThat(letters).singleElement().satisfies(l -> {
            assertThat(l.error().code()).isEqualTo(FileDeadLetters.FILE_FAILED);
            assertThat(l.error().message()).contains("boom.log", "OutOfMemoryError");
        });
        assertThat(health.problems()).containsKey(FileLines.HEALTH_PART);

        MockEndpoint lines = getMockEndpoint("mock:lines");
        lines.expectedMessageCount(1);
        Files.writeString(inbox.resolve("fine.log"), "fine\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(inbox.resolve(".done/fine.log")));
        lines.assertIsSatisfied();
        assertThat(health.problems()).doesNotContainKey(FileLines.HEALTH_PART);
    }

    @Test
    void errorEscapingTheRoute_stopsThePolling_andReadinessGoesDown() throws Exception {
        Path inbox = dir.resolve("escaping");
        Files.createDirectories(inbox);
        await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ofMillis(1500)).until(() -> true);
        assertThat(health.problems()).isEmpty(); // polling, nothing to do
        Files.writeString(inbox.resolve("any.log"), "x\n");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(health.problems())
                        .hasEntrySatisfying(
                                FileLines.HEALTH_PART + "-consumer",
                                reason -> assertThat(reason).contains("stopped polling")));
    }
}
