package io.kinesisbridge.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.testing.EndpointReader;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 2: a symbolic link to a secret (as /etc/shadow would be) and a hard link to it, dropped into the inbox by
 * someone who may write there but not read the secret. Neither is read: both are moved to .failed/ unread, with a
 * WARN naming them and never the content.
 */
@Tag("slow")
class InboxSymlinkAbuseIT {

    @Test
    void linksToASecret_droppedIntoTheInbox_areNotRead_andMovedToFailed(@TempDir Path dir) throws Exception {
        try (AbuseRig rig = AbuseRig.start(dir, "inbox-symlink", Map.of())) {
            String secret = "root:$6$" + rig.marker() + ":19000:0:99999:7:::";
            Path shadow = rig.home().resolve("etc/shadow");
            Files.createDirectories(shadow.getParent());
            Files.writeString(shadow, secret + "\n");
            Files.createSymbolicLink(rig.inbox().resolve("shadow-symlink"), shadow);
            Files.createLink(rig.inbox().resolve("shadow-hardlink"), shadow);

            List<String> names = List.of("shadow-symlink", "shadow-hardlink");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> names.stream()
                            .allMatch(n -> Files.exists(
                                            rig.inbox().resolve(".failed").resolve(n), LinkOption.NOFOLLOW_LINKS)
                                    || Files.exists(
                                            rig.inbox().resolve(".done").resolve(n), LinkOption.NOFOLLOW_LINKS)));
            boolean inStream = new EndpointReader(rig.endpointPort())
                    .readAll(AbuseRig.LOGS_STREAM).stream()
                            .anyMatch(r -> r.data().contains(secret));
            List<String> failed = names.stream()
                    .filter(n -> Files.exists(rig.inbox().resolve(".failed").resolve(n), LinkOption.NOFOLLOW_LINKS))
                    .toList();
            String output = rig.process().output();
            String observed = "secret in stream logs: " + (inStream ? "yes" : "no") + "; moved to .failed/: " + failed
                    + "; WARN naming them: " + names.stream().allMatch(n -> output.contains(n + " is not read"))
                    + "; secret in the log: " + output.contains(secret);

            AbuseLedger.row(
                            "symlink and hard link to a secret dropped into the inbox",
                            "not read, both moved to .failed/ with a WARN, secret nowhere",
                            observed,
                            rig)
                    .check();
            assertThat(inStream).as("the secret was read into stream logs").isFalse();
            assertThat(failed).containsExactlyElementsOf(names);
            assertThat(Files.isSymbolicLink(rig.inbox().resolve(".failed/shadow-symlink")))
                    .isTrue();
            assertThat(output)
                    .contains("shadow-symlink is not read", "shadow-hardlink is not read")
                    .doesNotContain(secret);
            assertThat(shadow).hasContent(secret + "\n");
        }
    }
}
