package io.kinesisbridge.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** {@link SinkMain} in a process of its own: the bridge's endpoint as the target of a run, with its record counts. */
final class Sink implements AutoCloseable {

    private final Child child;
    private final int port;

    private Sink(Child child, int port) {
        this.child = child;
        this.port = port;
    }

    static Sink start(Suite suite, String name, String streams, boolean shardLimits, int latencyMs)
            throws IOException, InterruptedException {
        Child child = Child.java(
                name,
                List.of("-Xmx4g"),
                SinkMain.class,
                List.of("0", streams, String.valueOf(shardLimits), String.valueOf(latencyMs)),
                suite.work.resolve(name),
                suite.logs);
        String ready = child.awaitResult(l -> l.startsWith("ready "), Duration.ofSeconds(60));
        return new Sink(child, Integer.parseInt(ready.split(" ")[1]));
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** {records stored, write requests throttled, records trimmed}. */
    long[] count(String stream) throws InterruptedException {
        child.send("count " + stream);
        String[] r = child.awaitResult(l -> l.startsWith("count " + stream + " "), Duration.ofSeconds(30))
                .split(" ");
        return new long[] {Long.parseLong(r[2]), Long.parseLong(r[3]), Long.parseLong(r[4])};
    }

    @Override
    public void close() {
        child.stop();
    }
}
