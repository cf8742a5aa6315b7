package io.kinesisbridge.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.LoggerFactory;

/**
 * Start-up work done on a second thread while the main thread reads the configuration and Camel loads the routes:
 * the Vert.x instance that the HTTP source, the management server and the Kinesis endpoint share (with Netty, some
 * 800 classes), and
 * Jackson's ObjectMapper, which Camel's metrics build. On two cores this overlaps about half a second of class
 * loading with Camel's own.
 */
final class EarlyStart {

    private static volatile CompletableFuture<Vertx> early;

    private EarlyStart() {}

    /** Begins building the shared Vert.x instance; {@link #vertx(int)} takes it. */
    static void begin(int workerThreads) {
        // logging is set up here, before the second thread logs: SLF4J otherwise queues that thread's calls while the
        // main thread initialises it and prints a warning about replaying them at every start
        LoggerFactory.getILoggerFactory();
        CompletableFuture<Vertx> vertx = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        vertx.complete(Vertx.vertx(options(workerThreads)));
                        new ObjectMapper();
                    } catch (Throwable e) {
                        vertx.completeExceptionally(e);
                    }
                },
                "early-start");
        thread.setDaemon(true);
        thread.start();
        early = vertx;
    }

    /** The instance {@link #begin} started (once), or a new one; the caller closes it. */
    static Vertx vertx(int workerThreads) {
        CompletableFuture<Vertx> started = early;
        early = null;
        if (started != null) {
            try {
                return started.join();
            } catch (CompletionException e) {
                // build it here instead, where a failure stops the start with its reason
            }
        }
        return Vertx.vertx(options(workerThreads));
    }

    /**
     * platform-http on Vert.x runs each request's route on a worker thread that waits until the route is done
     * (until Kinesis answered): the worker pool bounds the HTTP requests in flight.
     */
    static VertxOptions options(int workerThreads) {
        return new VertxOptions().setWorkerPoolSize(workerThreads).setPreferNativeTransport(false);
    }
}
