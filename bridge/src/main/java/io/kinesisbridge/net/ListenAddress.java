package io.kinesisbridge.net;

/**
 * Where a listener binds, and the setting that chose its port, so that a failure to bind can name it.
 *
 * @param port 0 for a free port
 */
public record ListenAddress(String host, int port, String portSetting) {

    public ListenAddress {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
    }

    /** {@code host:port}, with an IPv6 host in brackets. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
