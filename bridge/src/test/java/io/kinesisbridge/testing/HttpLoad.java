package io.kinesisbridge.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.core.ConditionTimeoutException;

/**
 * HTTP load for the shipped HTTP route as many clients send it (open loop): a batch of unique events
 * ({@code {"userId":…,"n":…,"id":…}}, NDJSON) leaves every so often for about {@code recordsPerSecond}, without
 * waiting for earlier answers, up to {@value #MAX_REQUESTS} requests in flight (then new batches wait: the offered
 * rate drops). An event counts as taken when the answer (200) gives it a ShardId or {@code "Spooled": true}; an
 * event refused (503, 429, a connection error, a per-event BridgeSaturated) is sent again 200 ms later, until
 * taken; an event answered with another error code was dead-lettered by the bridge.
 */
public final class HttpLoad implements AutoCloseable {

    static final int MAX_REQUESTS = 128;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI uri;
    private final int batch;
    // HTTP/1.1, as most event senders speak it: one connection per request in flight
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .executor(Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "http-load");
                t.setDaemon(true);
                return t;
            }))
            .build();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "http-load-ticker");
        t.setDaemon(true);
        return t;
    });
    private final Semaphore slots = new Semaphore(MAX_REQUESTS);
    private volatile boolean offering = true;
    private volatile boolean running = true;
    private long n;

    public final Set<String> generated = ConcurrentHashMap.newKeySet();
    public final Set<String> taken = ConcurrentHashMap.newKeySet();
    public final Set<String> spooled = ConcurrentHashMap.newKeySet();
    public final Set<String> deadLettered = ConcurrentHashMap.newKeySet();
    public final AtomicLong refusedRequests = new AtomicLong();
    public final AtomicLong refusedEvents = new AtomicLong();
    public final AtomicLong connectionErrors = new AtomicLong();
    public final AtomicLong requests = new AtomicLong();
    /** Events in requests that have no answer yet. */
    public final AtomicLong inFlightEvents = new AtomicLong();
    /** Ticks at which no request slot was free, so no batch was offered. */
    public final AtomicLong heldBack = new AtomicLong();

    private HttpLoad(URI uri, int batch) {
        this.uri = uri;
        this.batch = batch;
    }

    public static HttpLoad start(String url, int recordsPerSecond, int batch) {
        HttpLoad load = new HttpLoad(URI.create(url), batch);
        long every = (long) (1e9 * batch / recordsPerSecond);
        load.ticker.scheduleAtFixedRate(load::tick, 0, every, TimeUnit.NANOSECONDS);
        return load;
    }

    private void tick() {
        if (!offering || !running) {
            return;
        }
        if (!slots.tryAcquire()) {
            heldBack.incrementAndGet();
            return;
        }
        List<String> events = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++, n++) {
            String id = "e" + n;
            events.add("{\"userId\":\"u" + (n % 64) + "\",\"n\":" + n + ",\"id\":\"" + id + "\"}");
            generated.add(id);
        }
        send(events);
    }

    /** Sends with a slot held; the slot is given back with the answer. */
    private void send(List<String> events) {
        requests.incrementAndGet();
        inFlightEvents.addAndGet(events.size());
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-ndjson")
                .timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", events)))
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((answer, error) -> {
            inFlightEvents.addAndGet(-events.size());
            List<String> again;
            if (error != null) {
                connectionErrors.incrementAndGet();
                again = events;
            } else if (answer.statusCode() != 200) {
                refusedRequests.incrementAndGet();
                again = events;
            } else {
                again = taken(events, answer.body());
            }
            if (again.isEmpty() || !running) {
                slots.release();
            } else {
                ticker.schedule(
                        () -> send(again), 200, TimeUnit.MILLISECONDS); // Retry-After, roughly; the slot stays held
            }
        });
    }

    /** Books the answer of each event; returns those to send again. */
    private List<String> taken(List<String> events, String body) {
        List<String> again = new ArrayList<>();
        try {
            JsonNode records = JSON.readTree(body).get("Records");
            for (int i = 0; i < events.size(); i++) {
                JsonNode r = records.get(i);
                String id = JSON.readTree(events.get(i)).get("id").asText();
                if (r.has("ShardId")) {
                    taken.add(id);
                } else if (r.path("Spooled").asBoolean()) {
                    taken.add(id);
                    spooled.add(id);
                } else if ("BridgeSaturated".equals(r.path("ErrorCode").asText())) {
                    refusedEvents.incrementAndGet();
                    again.add(events.get(i));
                } else {
                    taken.add(id);
                    deadLettered.add(id);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("not a PutRecords answer: " + body, e);
        }
        return again;
    }

    /** Stops offering new events; what was offered is still sent until taken. */
    public void stopOffering() {
        offering = false;
    }

    /** Stops offering and waits, at most {@code atMost}, until every event offered is taken. */
    public void awaitDrained(Duration atMost) {
        stopOffering();
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> taken.containsAll(generated));
        } catch (ConditionTimeoutException e) {
            // the caller asserts on stillHeld()
        }
    }

    /** Events offered and never taken: the client still holds them. */
    public Set<String> stillHeld() {
        Set<String> held = ConcurrentHashMap.newKeySet();
        held.addAll(generated);
        held.removeAll(taken);
        return held;
    }

    /** The client's counters, for failure messages. */
    public String describe() {
        return "generated " + generated.size() + ", taken " + taken.size() + " (spooled " + spooled.size()
                + ", dead-lettered "
                + deadLettered.size() + "), requests " + requests.get() + ", refused requests " + refusedRequests.get()
                + ", refused events " + refusedEvents.get() + ", connection errors " + connectionErrors.get()
                + ", events in unanswered requests " + inFlightEvents.get() + ", free slots "
                + slots.availablePermits();
    }

    @Override
    public void close() {
        running = false;
        offering = false;
        ticker.shutdownNow();
    }
}
