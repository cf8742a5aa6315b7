package io.kinesisbridge.console;

import static io.kinesisbridge.console.ConsoleAnswers.json;
import static io.kinesisbridge.console.ConsoleAnswers.readBody;
import static io.kinesisbridge.console.ConsoleAnswers.redirect;
import static io.kinesisbridge.console.ConsoleAnswers.secured;
import static io.kinesisbridge.console.ConsoleAnswers.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.StreamRecord;
import io.kinesisbridge.component.KinesisPutComponent;
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.source.http.BearerToken;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console under {@code /console/} of the management server: a page (static files in the jar), JSON APIs and
 * a Server-Sent Events stream that pushes the {@link Overview} once a second while someone watches. Everything it
 * shows is read from counters the bridge keeps anyway and from the in-memory backend, on a small worker pool of its
 * own, never on the sources' threads. Event streams count toward the management server's connections and are
 * capped at {@link Options#maxEventStreams()}.
 */
public final class WebConsole extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(WebConsole.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "/console/";
    private static final int WORKERS = 2;
    private static final int MAX_LOGIN_BYTES = 4096;
    /** A re-sent record's JSON: a 1 MiB record in base64 and its key, with room to spare. */
    static final int MAX_RESEND_BYTES = 2 * 1024 * 1024;

    private static final Map<String, String> STATIC = Map.of(
            "index.html",
            "text/html; charset=utf-8",
            "console.js",
            "text/javascript; charset=utf-8",
            "console.css",
            "text/css; charset=utf-8");

    /**
     * @param allowResend     whether dead letters may be re-sent
     * @param recentRecords   records shown per stream or shard, and the most one answer of the records API holds
     * @param token           the bearer token, when the bridge has one
     * @param deadLetterDir   where the dead-letter sink writes
     * @param maxEventStreams event streams open at once; more are answered 503
     */
    public record Options(
            boolean allowResend,
            int recentRecords,
            Optional<BearerToken> token,
            Path deadLetterDir,
            int maxEventStreams) {}

    private final CamelContext context;
    private final Vertx vertx;
    private final Optional<InMemoryKinesis> kinesis;
    private final Options options;
    private final ConsoleAccess access;
    private final Overview overview;
    private final RoutesView routes;
    private final DeadLetterFiles deadLetters;
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final Set<HttpServerResponse> eventStreams = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean ticking = new AtomicBoolean();
    private volatile WorkerExecutor workers;
    private Resender resender;
    private long ticker = -1;

    public WebConsole(CamelContext context, Vertx vertx, Optional<InMemoryKinesis> kinesis, Options options) {
        this.context = context;
        this.vertx = vertx;
        this.kinesis = kinesis;
        this.options = options;
        this.access = new ConsoleAccess(options.token());
        this.overview = new Overview(context, kinesis);
        this.routes = new RoutesView(context);
        this.deadLetters = new DeadLetterFiles(options.deadLetterDir());
        STATIC.keySet().forEach(name -> files.put(name, resource(name)));
    }

    private static byte[] resource(String name) {
        try (InputStream in = WebConsole.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the console's " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Event streams open now. */
    public int eventStreams() {
        return eventStreams.size();
    }

    @Override
    protected synchronized void doStart() {
        workers = vertx.createSharedWorkerExecutor("console-worker", WORKERS, 60, TimeUnit.SECONDS);
        resender = new Resender(context);
        ticker = vertx.setPeriodic(1000, id -> tick());
    }

    @Override
    protected synchronized void doStop() {
        if (ticker >= 0) {
            vertx.cancelTimer(ticker);
            ticker = -1;
        }
        eventStreams.forEach(response -> {
            if (!response.closed()) {
                response.end();
            }
        });
        eventStreams.clear();
        if (workers != null) {
            workers.close();
            workers = null;
        }
        if (resender != null) {
            resender.close();
            resender = null;
        }
    }

    /** Answers a request whose path starts with {@code /console}; called on the management server's event loop. */
    public void handle(HttpServerRequest request) {
        String path = request.path();
        if (path.equals("/console")) {
            redirect(request, BASE);
            return;
        }
        if (workers == null) {
            text(request, 503, "the console is not started\n");
            return;
        }
        if (access.required() && !admitted(request, path)) {
            return;
        }
        String name = path.substring(BASE.length());
        if (name.isEmpty()) {
            name = "index.html";
        }
        if (STATIC.containsKey(name) && isGet(request)) {
            staticFile(request, name);
            return;
        }
        switch (path) {
            case "/console/api/config" -> get(request, () -> config());
            case "/console/api/overview" -> get(request, overview::build);
            case "/console/api/events" -> events(request);
            case "/console/api/routes" -> get(request, routes::build);
            case "/console/api/records" -> records(request);
            case "/console/api/dead-letters" -> get(request, () -> deadLetters(request));
            case "/console/api/dead-letters/resend" -> resend(request);
            default -> text(request, 404, "no such path\n");
        }
    }

    // ---- access --------------------------------------------------------------------------------------------------

    /** Whether the request may go on; when not, it has been answered (login page, 401, or a redirect after login). */
    private boolean admitted(HttpServerRequest request, String path) {
        if (path.equals("/console/login") && request.method() == HttpMethod.POST) {
            readBody(request, MAX_LOGIN_BYTES, body -> {
                String token = formField(body.toString(StandardCharsets.UTF_8), "token");
                login(request, token);
            });
            return false;
        }
        String queryToken = request.getParam("token");
        if (queryToken != null) {
            login(request, queryToken);
            return false;
        }
        if (access.admits(request)) {
            return true;
        }
        if (path.startsWith("/console/api/")) {
            json(
                    request,
                    401,
                    Map.of(
                            "error",
                            "this bridge has a token: send Authorization: Bearer <token>, or log in at " + BASE));
        } else {
            loginPage(request, false);
        }
        return false;
    }

    private void login(HttpServerRequest request, String candidate) {
        access.login(candidate)
                .ifPresentOrElse(
                        cookie -> {
                            request.response().addCookie(cookie);
                            redirect(request, BASE);
                        },
                        () -> loginPage(request, true));
    }

    private void loginPage(HttpServerRequest request, boolean failed) {
        String page =
                "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>kinesis-bridge console: log in</title>"
                        + "<link rel=\"stylesheet\" href=\"" + BASE
                        + "console.css\"></head><body class=\"login\"><main>"
                        + "<h1>kinesis-bridge console</h1><p>This bridge has a token (<code>bridge.http.token</code>).</p>"
                        + (failed ? "<p class=\"error\" id=\"login-failed\">That is not the token.</p>" : "")
                        + "<form method=\"post\" action=\"" + BASE
                        + "login\"><label>Token <input type=\"password\" name=\"token\" "
                        + "id=\"token\" autocomplete=\"current-password\" autofocus></label> <button type=\"submit\">Log in</button></form>"
                        + "</main></body></html>";
        HttpServerResponse response = secured(request.response(), true).setStatusCode(401);
        response.putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8").end(page);
    }

    /** The value of one field of an application/x-www-form-urlencoded body. */
    static String formField(String body, String field) {
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0
                    && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8)
                            .equals(field)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    // ---- page and APIs -------------------------------------------------------------------------------------------

    private void staticFile(HttpServerRequest request, String name) {
        HttpServerResponse response = secured(request.response(), name.endsWith(".html"));
        response.putHeader(HttpHeaders.CONTENT_TYPE, STATIC.get(name)).end(Buffer.buffer(files.get(name)));
    }

    private Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("allowResend", options.allowResend());
        m.put("recentRecords", options.recentRecords());
        m.put("records", kinesis.isPresent());
        m.put("backend", kinesis.isPresent() ? "memory" : "aws");
        m.put("tokenRequired", access.required());
        return m;
    }

    private void events(HttpServerRequest request) {
        if (!isGet(request)) {
            return;
        }
        if (eventStreams.size() >= options.maxEventStreams()) {
            json(
                    request,
                    503,
                    Map.of("error", "the console has " + options.maxEventStreams() + " event streams open already"));
            return;
        }
        HttpServerResponse response = secured(request.response(), false);
        response.setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .putHeader("X-Accel-Buffering", "no");
        eventStreams.add(response);
        response.closeHandler(v -> eventStreams.remove(response));
        response.write("retry: 2000\n\n");
        workers.executeBlocking(this::overviewEvent, false).onSuccess(event -> {
            if (!response.closed()) {
                response.write(event);
            }
        });
    }

    /** Pushes the overview to every open event stream; a client that does not read keeps missing ticks. */
    private void tick() {
        WorkerExecutor pool = workers;
        if (eventStreams.isEmpty() || pool == null || !ticking.compareAndSet(false, true)) {
            return;
        }
        pool.executeBlocking(this::overviewEvent, false).onComplete(done -> {
            ticking.set(false);
            if (done.failed()) {
                LOG.warn("Console: the overview failed: {}", done.cause().toString());
                return;
            }
            for (HttpServerResponse response : eventStreams) {
                if (!response.closed() && !response.writeQueueFull()) {
                    response.write(done.result());
                }
            }
        });
    }

    private Buffer overviewEvent() throws JsonProcessingException {
        return Buffer.buffer("event: overview\ndata: ")
                .appendBytes(JSON.writeValueAsBytes(overview.build()))
                .appendString("\n\n");
    }

    private void records(HttpServerRequest request) {
        if (kinesis.isEmpty()) {
            json(request, 404, Map.of("error", "records are read from the in-memory backend only"));
            return;
        }
        String stream = request.getParam("stream");
        if (stream == null || stream.isBlank()) {
            json(request, 400, Map.of("error", "name a stream: ?stream=NAME"));
            return;
        }
        int limit;
        try {
            limit = Math.min(
                    options.recentRecords(),
                    Math.max(1, Integer.parseInt(request.getParam("limit", String.valueOf(options.recentRecords())))));
        } catch (NumberFormatException e) {
            json(request, 400, Map.of("error", "limit is not a whole number"));
            return;
        }
        Optional<String> shard = Optional.ofNullable(request.getParam("shard")).filter(s -> !s.isBlank());
        Optional<String> key = Optional.ofNullable(request.getParam("key")).filter(s -> !s.isEmpty());
        RecentRecords reader = new RecentRecords(kinesis.get());
        get(request, () -> {
            List<Map<String, Object>> list = new ArrayList<>();
            for (StreamRecord r : reader.latest(stream, shard, key, limit)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("shardId", r.shardId());
                m.put("sequenceNumber", r.sequenceNumber());
                m.put("partitionKey", r.partitionKey());
                m.put(
                        "arrival",
                        Instant.ofEpochMilli(r.approximateArrivalMillis()).toString());
                RecordDecoding decoded = RecordDecoding.of(r.data());
                m.put("kind", decoded.kind());
                m.put("shown", decoded.shown());
                m.put("size", decoded.size());
                m.put("truncated", decoded.truncated());
                list.add(m);
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("stream", stream);
            answer.put("limit", limit);
            answer.put("records", list);
            return answer;
        });
    }

    private Map<String, Object> deadLetters(HttpServerRequest request) throws IOException {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("allowResend", options.allowResend());
        answer.put("streams", deadLetters.streams());
        String stream = request.getParam("stream");
        if (stream != null && !stream.isBlank()) {
            answer.put("stream", stream);
            answer.put("letters", deadLetters.latest(stream, options.recentRecords()));
        }
        return answer;
    }

    private void resend(HttpServerRequest request) {
        if (request.method() != HttpMethod.POST) {
            text(request, 405, "POST a record to re-send\n");
            return;
        }
        if (!options.allowResend()) {
            json(request, 403, Map.of("error", "re-sending is off: bridge.console.allow-resend=false"));
            return;
        }
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            // a page of another site cannot send application/json without a preflight this server never grants
            json(request, 415, Map.of("error", "send the record as application/json"));
            return;
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin != null && !origin.equals("http://" + request.getHeader(HttpHeaders.HOST))) {
            json(request, 403, Map.of("error", "a re-send must come from the console's own page"));
            return;
        }
        readBody(request, MAX_RESEND_BYTES, body -> {
            JsonNode node;
            try {
                node = JSON.readTree(body.getBytes());
            } catch (IOException e) {
                json(request, 400, Map.of("error", "the body is not JSON"));
                return;
            }
            String stream = node.path("stream").asText("");
            if (!knownStreams().contains(stream)) {
                json(request, 404, Map.of("error", "no stream of this bridge is named so"));
                return;
            }
            byte[] data;
            String text = node.path("data").asText("");
            if (node.path("encoding").asText("text").equals("base64")) {
                try {
                    data = Base64.getDecoder().decode(text);
                } catch (IllegalArgumentException e) {
                    json(request, 400, Map.of("error", "data is not base64"));
                    return;
                }
            } else {
                data = text.getBytes(StandardCharsets.UTF_8);
            }
            JsonNode key = node.get("partitionKey");
            String partitionKey = key == null || key.isNull() ? null : key.asText();
            resender.send(stream, partitionKey, data).whenComplete((outcome, failure) -> {
                if (failure != null) {
                    LOG.warn(
                            "Console: a re-send to stream {} failed: {}",
                            stream,
                            failure.getClass().getSimpleName());
                    json(
                            request,
                            500,
                            Map.of(
                                    "error",
                                    "the re-send failed: " + failure.getClass().getSimpleName()));
                } else {
                    json(request, 200, outcome);
                }
            });
        });
    }

    private Set<String> knownStreams() {
        Set<String> streams = new TreeSet<>();
        if (context.hasComponent("kinesis-put") instanceof KinesisPutComponent component) {
            streams.addAll(component.dispatchers().keySet());
        }
        kinesis.ifPresent(k -> streams.addAll(k.streamNames()));
        return streams;
    }

    // ---- answering -----------------------------------------------------------------------------------------------

    /** Works the answer out on the console's workers and sends it as JSON. */
    private void get(HttpServerRequest request, Callable<Object> work) {
        if (!isGet(request)) {
            return;
        }
        WorkerExecutor pool = workers;
        if (pool == null) {
            text(request, 503, "the console is stopping\n");
            return;
        }
        Future<Object> answer = pool.executeBlocking(work, false);
        answer.onComplete(done -> {
            if (done.succeeded()) {
                json(request, 200, done.result());
            } else if (done.cause() instanceof KinesisException e) {
                json(
                        request,
                        404,
                        Map.of("error", e.error().code() + ": " + e.error().message()));
            } else {
                // the class only: a message might quote a record
                LOG.warn(
                        "Console: {} failed: {}",
                        request.path(),
                        done.cause().getClass().getName());
                json(request, 500, Map.of("error", "internal error"));
            }
        });
    }

    private boolean isGet(HttpServerRequest request) {
        if (request.method() == HttpMethod.GET) {
            return true;
        }
        text(request, 405, "GET only\n");
        return false;
    }
}
