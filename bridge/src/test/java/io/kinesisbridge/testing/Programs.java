package io.kinesisbridge.testing;

import java.io.File;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Outside programs tests use (logger, mosquitto, kinesalite, the AWS CLI, …). Under CI=true a missing program fails
 * the test, since .ci/run installs them; elsewhere the test is skipped.
 */
public final class Programs {

    private Programs() {}

    /** The program's absolute path: on the PATH, else in the usual system directories. */
    public static Optional<String> find(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.canExecute()) {
                return Optional.of(f.getAbsolutePath());
            }
        }
        for (String dir : new String[] {"/usr/bin", "/usr/sbin", "/bin", "/sbin"}) {
            File f = new File(dir, name);
            if (f.canExecute()) {
                return Optional.of(f.getAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /** The program's absolute path; missing, the test fails under CI=true and is skipped elsewhere. */
    public static String require(String name) {
        Optional<String> path = find(name);
        require(path.isPresent(), name);
        return path.get();
    }

    /** Fails the test under CI=true, or skips it elsewhere, unless {@code present}; {@code what} names what is missing. */
    public static void require(boolean present, String what) {
        if (present) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(what + " is not installed; .ci/run installs it");
        }
        Assumptions.abort(what + " is not installed here: skipped");
    }
}
