package io.kinesisbridge.app;

/** A configuration problem that stops the start; its message names the key and where the value came from. */
public final class InvalidSettingException extends RuntimeException {
    public InvalidSettingException(String message) {
        super(message);
    }
}
