package io.kinesisbridge.bench;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * The floor of an HTTP route on this machine: Camel Main with platform-http on Vert.x (as the bridge's HTTP source)
 * and a route that answers every POST with a fixed small body, doing nothing else.
 *
 * <pre>NoopHttpMain PORT</pre>
 */
public final class NoopHttpMain {

    private NoopHttpMain() {}

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.host", "127.0.0.1");
        main.addInitialProperty("camel.server.port", args[0]);
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/noop?httpMethodRestrict=POST").setBody(constant("{\"FailedRecordCount\":0}"));
            }
        });
        main.run();
    }
}
