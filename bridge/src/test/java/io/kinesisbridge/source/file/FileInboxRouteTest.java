package io.kinesisbridge.source.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.app.RunningBridge;
import io.kinesisbridge.deadletter.DeadLetter;
import io.kinesisbridge.deadletter.DeadLetterJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped file-inbox route on real files: links, long lines, CRLF. */
class FileInboxRouteTest {

    private static final String SECRET = "root:$6$secret-hash:19000:0:99999:7:::";

    @TempDir
    Path dir;

    private Path inbox() {
        return dir.resolve("data/inbox");
    }

    private RunningBridge start(Map<String, String> extra) throws Exception {
        Map<String, String> s = new HashMap<>(Map.of("bridge.file.enabled", "true"));
        s.putAll(extra);
        RunningBridge bridge = RunningBridge.start(dir.resolve("data"), s);
        Files.createDirectories(inbox());
        return bridge;
    }

    /** Writes beside the inbox and moves it in, as a well-behaved producer does. */
    private void drop(String name, String content) throws IOException {
        Path tmp = dir.resolve(name + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, inbox().resolve(name));
    }

    private void awaitDone(String name) {
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(inbox().resolve(".done/" + name)));
    }

    private List<DeadLetter> deadLetters() throws IOException {
        Path file = dir.resolve("data/dead-letter/logs.ndjson");
        return Files.exists(file)
                ? Files.readAllLines(file).stream().map(DeadLetterJson::read).toList()
                : List.of();
    }

    private Path secretOutside() throws IOException {
        Path secret = dir.resolve("outside/shadow");
        Files.createDirectories(secret.getParent());
        Files.writeString(secret, SECRET + "\n");
        return secret;
    }

    @Test
    void inbox_symlink_isNotFollowed_andMovedToFailed() throws Exception {
        Path secret = secretOutside();
        try (RunningBridge bridge = start(Map.of())) {
            Files.createSymbolicLink(inbox().resolve("shadow"), secret);
            Path moved = inbox().resolve(".failed/shadow");
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(moved, LinkOption.NOFOLLOW_LINKS));
            assertThat(Files.isSymbolicLink(moved)).isTrue();
            assertThat(Files.readString(secret)).isEqualTo(SECRET + "\n");
            drop("after.log", "after\n");
            awaitDone("after.log");
            assertThat(bridge.records("logs")).containsExactly("after");
            assertThat(deadLetters()).singleElement().satisfies(l -> {
                assertThat(l.error().code()).isEqualTo("InboxFileRefused");
                assertThat(l.error().message()).contains("symbolic link", "bridge.file.allow-links");
                assertThat(new String(l.request().data(), StandardCharsets.UTF_8))
                        .doesNotContain("secret");
            });
        }
    }

    @Test
    void inbox_hardLinkToAFileElsewhere_isNotRead_andMovedToFailed() throws Exception {
        Path secret = secretOutside();
        try (RunningBridge bridge = start(Map.of())) {
            Files.createLink(inbox().resolve("shadow"), secret);
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(inbox().resolve(".failed/shadow")));
            drop("after.log", "after\n");
            awaitDone("after.log");
            assertThat(bridge.records("logs")).containsExactly("after");
            assertThat(deadLetters())
                    .singleElement()
                    .satisfies(l -> assertThat(l.error().message()).contains("2 hard links"));
        }
    }

    @Test
    void inbox_withAllowLinks_readsThroughASymlink() throws Exception {
        Path secret = secretOutside();
        try (RunningBridge bridge = start(Map.of("bridge.file.allow-links", "true"))) {
            Files.createSymbolicLink(inbox().resolve("linked.log"), secret);
            awaitDone("linked.log");
            assertThat(bridge.records("logs")).containsExactly(SECRET);
        }
    }

    @Test
    void inbox_crlfLines_arriveWithoutTheirCr() throws Exception {
        try (RunningBridge bridge = start(Map.of())) {
            drop("dos.txt", "one\r\ntwo\r\n\r\nthree\r");
            awaitDone("dos.txt");
            assertThat(bridge.records("logs")).containsExactlyInAnyOrder("one", "two", "three");
        }
    }

    @Test
    void inbox_lineOverTheLimit_isDeadLetteredOnce_withItsLengthAndASample_andTheOtherLinesArrive() throws Exception {
        String huge = "h".repeat(300_000);
        try (RunningBridge bridge = start(Map.of("bridge.file.max-record-bytes", "65536"))) {
            drop("mixed.log", "before\n" + huge + "\r\nafter\n");
            awaitDone("mixed.log");
            assertThat(bridge.records("logs")).containsExactlyInAnyOrder("before", "after");
            assertThat(deadLetters()).singleElement().satisfies(l -> {
                assertThat(l.error().code()).isEqualTo("LineTooLong");
                assertThat(l.error().message())
                        .contains("byte 7 of", "is 300000 bytes", "bridge.file.max-record-bytes (65536)");
                assertThat(l.request().data()).hasSize(1024);
            });
            assertThat(Files.size(dir.resolve("data/dead-letter/logs.ndjson"))).isLessThan(4096);
        }
    }
}
