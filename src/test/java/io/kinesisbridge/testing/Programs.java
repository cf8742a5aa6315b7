package io.kinesisbridge.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.util.Optional;

/**
 * Outside programs tests use (logger, mosquitto, …). Under CI=true a missing program fails the test, since .ci/run
 * installs them; elsewhere the test is skipped.
 */
public final class Programs {

    private Programs() {
    }

    public static Optional<String> find(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.canExecute()) {
                return Optional.of(f.getAbsolutePath());
            }
        }
        for (String dir : new String[]{"/usr/bin", "/usr/sbin", "/bin", "/sbin"}) {
            File f = new File(dir, name);
            if (f.canExecute()) {
                return Optional.of(f.getAbsolutePath());
            }
        }
        return Optional.empty();
    }

    public static String require(String name) {
        Optional<String> path = find(name);
        if (path.isEmpty()) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(name + " is not installed; .ci/run installs it");
            }
            Assumptions.abort(name + " is not installed");
        }
        return path.get();
    }
}
