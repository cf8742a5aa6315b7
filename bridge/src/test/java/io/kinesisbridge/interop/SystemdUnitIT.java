package io.kinesisbridge.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.kinesisbridge.testing.Programs;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** examples/systemd/kinesis-bridge.service: systemd accepts it, and it gives the bridge time and room to stop. */
class SystemdUnitIT {

    private static final Path UNIT = Path.of("examples/systemd/kinesis-bridge.service");
    private static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");

    @Test
    void systemdAnalyzeVerify_hasNothingToSayAboutTheUnit() throws Exception {
        Programs.require(Files.isExecutable(SYSTEMD_ANALYZE), "systemd-analyze (Debian systemd)");
        Process p = new ProcessBuilder(
                        SYSTEMD_ANALYZE.toString(),
                        "verify",
                        UNIT.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        // an unknown or misspelt directive is only a warning, with exit status 0
        assertThat(output.lines().filter(l -> l.contains(UNIT.getFileName().toString())))
                .as("what systemd-analyze verify says about the unit")
                .isEmpty();
    }

    @Test
    void unit_waitsLongerThanTheBridgesShutdownTimeout_andLetsItWriteItsDataDirectory() throws IOException {
        List<String> lines = Files.readAllLines(UNIT);
        Properties shipped = new Properties();
        shipped.load(new StringReader(Files.readString(Path.of("config/application.properties"))));
        long shutdownMs = Long.parseLong(shipped.getProperty("bridge.shutdown-timeout-ms"));

        assertThat(Long.parseLong(value(lines, "TimeoutStopSec")) * 1000)
                .as("TimeoutStopSec against bridge.shutdown-timeout-ms")
                .isGreaterThan(shutdownMs);
        assertThat(value(lines, "KillSignal")).isEqualTo("SIGTERM");
        assertThat(value(lines, "SuccessExitStatus"))
                .as("the JVM's status after SIGTERM")
                .contains("143");
        assertThat(value(lines, "User")).isNotEqualTo("root");
        String home = value(lines, "WorkingDirectory");
        assertThat(value(lines, "ExecStart")).contains("-jar " + home + "/");
        assertThat(value(lines, "ProtectSystem")).isEqualTo("strict");
        assertThat(value(lines, "ReadWritePaths")).isEqualTo(home + "/data");
        assertThat(value(lines, "NoNewPrivileges")).isEqualTo("yes");
        assertThat(value(lines, "Restart")).isEqualTo("on-failure");
    }

    private static String value(List<String> lines, String key) {
        List<String> values = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith(key + "=")) {
                values.add(line.substring(key.length() + 1).trim());
            }
        }
        assertThat(values).as("%s= in %s", key, UNIT).hasSize(1);
        return values.get(0);
    }
}
