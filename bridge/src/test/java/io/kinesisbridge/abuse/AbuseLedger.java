package io.kinesisbridge.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * One row of target/abuse-report.md: what a probe did, what should have happened and what did, whether the bridge
 * is alive and still delivers through every source afterwards, and how many records it had taken were lost.
 * {@link #check()} fails the probe unless it is alive, serving and lost nothing.
 */
public record AbuseLedger(
        String probe, String expected, String observed, boolean alive, String serving, List<String> lost) {

    static final Path REPORT = Path.of("target", "abuse-report.md");

    /**
     * Reads the rig's state after the probe: alive, then {@link AbuseRig#assertStillServing()}, then the records lost;
     * appends the row to the report.
     */
    public static AbuseLedger row(String probe, String expected, String observed, AbuseRig rig) {
        boolean alive = rig.process().isAlive();
        String serving;
        try {
            rig.assertStillServing();
            serving = "yes";
        } catch (RuntimeException | AssertionError e) {
            serving = "no: " + firstLine(e.getMessage());
        }
        List<String> lost = alive ? rig.lost() : List.of("unknown: the bridge is not running");
        AbuseLedger row = new AbuseLedger(probe, expected, observed, alive, serving, lost);
        row.append();
        return row;
    }

    /**
     * A row for a probe whose bridge must refuse to start (a taken port): {@code rig} is the bridge that holds what
     * was taken, and must still be alive and serving.
     */
    public static AbuseLedger refusedStart(String probe, String expected, AbuseRig.Exit exit, AbuseRig rig) {
        String observed = "exit " + (exit.status().isPresent() ? exit.status().getAsInt() : "none (still running)")
                + ", " + exit.lines().size() + " line(s): "
                + (exit.lines().isEmpty()
                        ? ""
                        : firstLine(exit.lines().get(exit.lines().size() - 1)));
        return row(probe, expected, observed, rig);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        String line = text.lines().findFirst().orElse("");
        return line.length() > 160 ? line.substring(0, 160) + "…" : line;
    }

    private void append() {
        try {
            Files.createDirectories(REPORT.getParent());
            if (!Files.exists(REPORT)) {
                Files.writeString(
                        REPORT,
                        "| probe | expected | observed | alive | still serving | records lost |\n|---|---|---|---|---|---|\n",
                        StandardCharsets.UTF_8);
            }
            String row = String.format(
                    "| %s | %s | %s | %s | %s | %d |%n",
                    cell(probe), cell(expected), cell(observed), alive ? "yes" : "no", cell(serving), lost.size());
            Files.writeString(REPORT, row, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    /** Alive, still serving, nothing lost. */
    public AbuseLedger check() {
        assertThat(alive).as("%s: the bridge is alive", probe).isTrue();
        assertThat(serving)
                .as("%s: HTTP, syslog and the inbox still deliver", probe)
                .isEqualTo("yes");
        assertThat(lost).as("%s: records the bridge took and lost", probe).isEmpty();
        return this;
    }
}
