package io.kinesisbridge.app;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Checks, before Camel starts, that the enabled listeners' addresses can be bound, so that a taken port stops the
 * start with one line naming the setting and the address, instead of a stack trace after half the bridge started.
 * The listeners bind for real later: a port taken in between still fails their start, with Camel's trace.
 */
final class ListenerPorts {

    private ListenerPorts() {
    }

    /** @throws InvalidSettingException naming the setting, when an address is taken or cannot be bound */
    static void requireFree(BridgeSettings settings) {
        if (settings.bool("bridge.syslog.enabled")) {
            String host = settings.text("bridge.syslog.host");
            int port = settings.integer("bridge.syslog.port");
            tcp("bridge.syslog.port", "bridge.syslog.enabled", "syslog", host, port);
            udp("bridge.syslog.port", "bridge.syslog.enabled", "syslog", host, port);
        }
        int endpointPort = settings.integer("bridge.endpoint.port");
        if (settings.bool("bridge.endpoint.enabled") && settings.text("bridge.backend").equals("memory") && endpointPort != 0) {
            tcp("bridge.endpoint.port", "bridge.endpoint.enabled", "the Kinesis endpoint", settings.text("bridge.endpoint.host"), endpointPort);
        }
    }

    private static void tcp(String setting, String switchOff, String what, String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as Netty and Vert.x bind: a port in TIME_WAIT is free
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException | RuntimeException e) {
            throw taken(setting, switchOff, what, "TCP " + host + ":" + port, e);
        }
    }

    private static void udp(String setting, String switchOff, String what, String host, int port) {
        try (DatagramSocket socket = new DatagramSocket(null)) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException | RuntimeException e) {
            throw taken(setting, switchOff, what, "UDP " + host + ":" + port, e);
        }
    }

    private static InvalidSettingException taken(String setting, String switchOff, String what, String address, Exception e) {
        return new InvalidSettingException("Setting " + setting + ": cannot listen for " + what + " on " + address + " ("
                + e.getMessage() + "); set " + setting + " to a free port, or " + switchOff + "=false");
    }
}
