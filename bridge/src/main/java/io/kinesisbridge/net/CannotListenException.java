package io.kinesisbridge.net;

import java.util.Locale;

/**
 * A listener could not bind its address (the port is taken, the host is not an address of this machine). Its
 * message is the one line the bridge prints before it exits:
 * {@code cannot listen on 127.0.0.1:8080 (bridge.http.port): address already in use}.
 */
public final class CannotListenException extends RuntimeException {

    public CannotListenException(ListenAddress address, Throwable cause) {
        super("cannot listen on " + address + " (" + address.portSetting() + "): " + reason(cause), cause);
    }

    private static String reason(Throwable cause) {
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.isEmpty() ? message : message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1);
    }

    /** The first CannotListenException among {@code e} and its causes, or null. */
    public static CannotListenException in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CannotListenException c) {
                return c;
            }
        }
        return null;
    }
}
