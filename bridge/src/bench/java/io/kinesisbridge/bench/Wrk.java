package io.kinesisbridge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * wrk on loopback with a Lua script that POSTs a rotation of prepared bodies (so that the partition keys vary as the
 * shared input's do) and prints its summary as one JSON line: requests, duration, p50/p99 latency, errors.
 */
final class Wrk {

    static final String BODY_SEPARATOR = "\n--BODY--\n";

    private static final String SCRIPT = """
            local f = assert(io.open(os.getenv("BENCH_BODIES"), "rb"))
            local all = f:read("*a")
            f:close()
            local bodies = {}
            local sep = "\\n--BODY--\\n"
            local pos = 1
            while true do
              local s, e = string.find(all, sep, pos, true)
              if not s then break end
              bodies[#bodies + 1] = string.sub(all, pos, s - 1)
              pos = e + 1
            end
            local contentType = os.getenv("BENCH_CONTENT_TYPE")
            local requests = {}
            local idx = 0
            local threads = 0
            setup = function(thread)
              thread:set("id", threads)
              threads = threads + 1
            end
            init = function(args)
              for i, b in ipairs(bodies) do
                requests[i] = wrk.format("POST", nil, {["Content-Type"] = contentType}, b)
              end
              idx = (id * 7919) % #requests
            end
            request = function()
              idx = idx % #requests + 1
              return requests[idx]
            end
            done = function(summary, latency, requests)
              local e = summary.errors
              io.write(string.format('BENCH {"requests":%.0f,"duration_us":%.0f,"p50_us":%.0f,"p99_us":%.0f,"max_us":%.0f,'
                .. '"status_errors":%.0f,"connect_errors":%.0f,"read_errors":%.0f,"write_errors":%.0f,"timeouts":%.0f}\\n',
                summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
                e.status, e.connect, e.read, e.write, e.timeout))
            end
            """;

    record Result(long requests, double seconds, double p50Ms, double p99Ms, long errors) {
        double requestsPerSecond() {
            return requests / seconds;
        }
    }

    private Wrk() {}

    static String version() {
        try {
            Process p =
                    new ProcessBuilder("wrk", "-v").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return out.lines().findFirst().orElse("wrk").replaceAll("\\s*\\[.*", "");
        } catch (IOException e) {
            return "missing";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** Writes the bodies wrk rotates through. */
    static Path bodies(Path file, List<String> bodies) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            for (String b : bodies) {
                out.write(b.getBytes(StandardCharsets.UTF_8));
                out.write(BODY_SEPARATOR.getBytes(StandardCharsets.UTF_8));
            }
        }
        return file;
    }

    static Result run(
            Suite suite, String url, Path bodies, String contentType, int threads, int connections, Duration duration)
            throws IOException, InterruptedException {
        Path script = suite.work.resolve("post.lua");
        if (!Files.exists(script)) {
            Files.writeString(script, SCRIPT);
        }
        List<String> cmd = new ArrayList<>(List.of(
                "wrk",
                "-t" + threads,
                "-c" + connections,
                "-d" + duration.toSeconds() + "s",
                "--timeout",
                "10s",
                "-s",
                script.toString(),
                url));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("BENCH_BODIES", bodies.toString());
        pb.environment().put("BENCH_CONTENT_TYPE", contentType);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        String line = out.lines()
                .filter(l -> l.startsWith(Child.RESULT_PREFIX))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("wrk printed no summary: " + out));
        JsonNode j = new ObjectMapper().readTree(line.substring(Child.RESULT_PREFIX.length()));
        long errors = j.get("status_errors").asLong()
                + j.get("connect_errors").asLong()
                + j.get("read_errors").asLong()
                + j.get("write_errors").asLong()
                + j.get("timeouts").asLong();
        return new Result(
                j.get("requests").asLong(),
                j.get("duration_us").asDouble() / 1e6,
                j.get("p50_us").asDouble() / 1000,
                j.get("p99_us").asDouble() / 1000,
                errors);
    }
}
