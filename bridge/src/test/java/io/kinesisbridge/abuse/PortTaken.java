package io.kinesisbridge.abuse;

import static org.assertj.core.api.Assertions.assertThat;

/** What a bridge that cannot bind a port must have done: exit 2, say so in one line, print no stack trace. */
final class PortTaken {

    private PortTaken() {}

    /** The exit status and the line that names the port. */
    static String observed(AbuseRig.Exit exit) {
        return "exit " + (exit.status().isPresent() ? exit.status().getAsInt() : "none (still running)") + ": "
                + exit.lines().stream()
                        .filter(l -> l.contains("cannot listen"))
                        .findFirst()
                        .orElse("no line names the port");
    }

    static void assertOneLineExit(AbuseRig.Exit exit, String line) {
        assertThat(exit.status()).as("exit status; output:%n%s", exit.output()).hasValue(2);
        assertThat(exit.lines())
                .as("lines naming the port")
                .filteredOn(l -> l.contains("cannot listen"))
                .containsExactly(line);
        assertThat(exit.lines())
                .as("no stack trace")
                .noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by"))
                .noneMatch(l -> l.contains("ERROR"));
    }
}
