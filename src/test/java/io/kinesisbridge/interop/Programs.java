package io.kinesisbridge.interop;

import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.fail;

/** Outside programs of the interop tests: missing ones fail the run on CI (CI=true) and skip the test elsewhere. */
final class Programs {

    private Programs() {
    }

    static void require(boolean present, String what) {
        if (present) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(what + " is required on CI (.ci/run installs it)");
        }
        Assumptions.abort(what + " is not installed here: skipped");
    }
}
