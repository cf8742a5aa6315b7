package io.kinesisbridge.app;

/**
 * The bridge cannot start, for a reason its message states in one line that names what to change (a setting, a
 * directory, a route). The launcher prints the message and exits with status 2, without a stack trace.
 */
public final class StartRefusedException extends RuntimeException {

    public StartRefusedException(String message) {
        super(message);
    }
}
