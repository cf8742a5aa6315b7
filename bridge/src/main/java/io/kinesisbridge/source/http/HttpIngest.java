package io.kinesisbridge.source.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.kinesisbridge.component.KinesisPutConstants;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.put.RecordResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The steps of the HTTP source route, each a method the YAML route calls as a bean: split the body into events,
 * answer with a PutRecords-shaped response, and turn a failure into a status and a JSON body. The bearer token and
 * the body limits are checked before the route, as the body comes in ({@link RequestIntake}).
 */
public final class HttpIngest {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** Media types whose bodies are JSON or NDJSON; a request without Content-Type is taken as JSON too. */
    private static final Set<String> JSON_TYPES = Set.of(
            "application/json",
            "application/x-ndjson",
            "application/ndjson",
            "application/jsonl",
            "application/jsonlines",
            "application/x-jsonlines",
            "application/json-seq",
            "text/plain");

    private final JsonEventSplitter splitter;
    private final int saturatedStatus;
    private final int retryAfterSeconds;

    /** @param maxBodyBytes largest body taken, after gzip decoding */
    public HttpIngest(int maxBodyBytes) {
        this(maxBodyBytes, 503, 1);
    }

    /**
     * @param saturatedStatus   the status when the bridge has too many records in flight: 503 or 429
     * @param retryAfterSeconds the Retry-After sent with it
     */
    public HttpIngest(int maxBodyBytes, int saturatedStatus, int retryAfterSeconds) {
        if (saturatedStatus != 503 && saturatedStatus != 429) {
            throw new IllegalArgumentException("saturatedStatus must be 503 or 429");
        }
        this.splitter = new JsonEventSplitter(maxBodyBytes);
        this.saturatedStatus = saturatedStatus;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * The request body as bytes. Camel's converter copies an InputStream through a fresh 16 KiB buffer and a growing
     * array: a seventh of the CPU of a one-event request in a profile. platform-http hands over a stream cache that
     * knows its length (available()), so the bytes are read into an array of that length, and more only if more
     * come.
     */
    static byte[] bodyBytes(Message in) {
        Object body = in.getBody();
        if (body == null) {
            return new byte[0];
        }
        if (body instanceof byte[] bytes) {
            return bytes;
        }
        if (body instanceof InputStream stream) {
            try (stream) {
                byte[] announced = stream.readNBytes(Math.max(stream.available(), 0));
                int next = stream.read();
                if (next < 0) {
                    return announced;
                }
                ByteArrayOutputStream all = new ByteArrayOutputStream(announced.length + 8192);
                all.write(announced);
                all.write(next);
                stream.transferTo(all);
                return all.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        byte[] bytes = in.getBody(byte[].class);
        return bytes == null ? new byte[0] : bytes;
    }

    /** Replaces the body by its events (a List of byte[]), decoding gzip first. */
    public void split(Exchange exchange) {
        Message in = exchange.getMessage();
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType != null && !contentType.isBlank()) {
            String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (!JSON_TYPES.contains(mediaType) && !mediaType.endsWith("+json")) {
                throw new HttpProblem(
                        415,
                        "Content-Type " + mediaType + " is not taken: send application/json (an "
                                + "object or an array) or application/x-ndjson (one JSON value per line)"
                                + (mediaType.equals("application/x-www-form-urlencoded")
                                        ? "; curl --data needs -H 'Content-Type: application/json'"
                                        : ""));
            }
        }
        byte[] body = bodyBytes(in);
        String encoding = in.getHeader("Content-Encoding", String.class);
        if (encoding != null && !encoding.isBlank() && !encoding.equalsIgnoreCase("identity")) {
            if (!encoding.trim().equalsIgnoreCase("gzip")) {
                throw new HttpProblem(415, "Content-Encoding " + encoding + " is not supported; send gzip or none");
            }
            body = splitter.gunzip(body);
        }
        List<byte[]> events = splitter.split(body);
        in.setBody(events);
    }

    /**
     * Answers like PutRecords: FailedRecordCount and one entry per event, in the order they were sent. An event the
     * bridge spooled (Kinesis unreachable) has {@code "Spooled": true} instead of a ShardId and SequenceNumber.
     */
    public void respond(Exchange exchange) {
        Message m = exchange.getMessage();
        @SuppressWarnings("unchecked")
        List<RecordResult> results = m.getHeader(KinesisPutConstants.RESULTS, List.class);
        StringWriter out = new StringWriter(64 + (results == null ? 0 : results.size() * 110));
        try (JsonGenerator g = JSON.createGenerator(out)) {
            int failed = 0;
            if (results != null) {
                for (RecordResult r : results) {
                    failed += r instanceof RecordResult.Failed ? 1 : 0;
                }
            }
            g.writeStartObject();
            g.writeNumberField("FailedRecordCount", failed);
            g.writeArrayFieldStart("Records");
            if (results != null) {
                for (RecordResult r : results) {
                    g.writeStartObject();
                    if (r instanceof RecordResult.Accepted a) {
                        g.writeStringField("ShardId", a.shardId());
                        g.writeStringField("SequenceNumber", a.sequenceNumber());
                    } else if (r instanceof RecordResult.Spooled) {
                        // taken and safe on disk; sent to Kinesis later, so it has no shard or sequence number yet
                        g.writeBooleanField("Spooled", true);
                    } else {
                        KinesisError e = ((RecordResult.Failed) r).error();
                        g.writeStringField("ErrorCode", e.code());
                        g.writeStringField("ErrorMessage", e.message());
                    }
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        // a String: platform-http on Vert.x writes it at once, while a byte[] goes through its InputStream pump,
        // which allocates a large buffer per response
        m.setBody(out.toString());
    }

    /** Turns the exchange's exception into a status and {@code {"ErrorCode": …, "ErrorMessage": …}}. */
    public void problem(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        int status;
        String code;
        String message;
        String retryAfter = null;
        if (e instanceof HttpProblem p) {
            status = p.status();
            code = switch (status) {
                case 413 -> "PayloadTooLarge";
                case 415 -> "UnsupportedMediaType";
                default -> "MalformedRequest";
            };
            message = p.getMessage();
        } else if (e instanceof KinesisException k && KinesisError.BRIDGE_SATURATED.equals(k.errorCode())) {
            status = saturatedStatus;
            code = k.errorCode();
            message = k.getMessage();
            retryAfter = String.valueOf(retryAfterSeconds);
        } else {
            status = 500;
            code = "InternalError";
            message = String.valueOf(e);
        }
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (retryAfter != null) {
            m.setHeader("Retry-After", retryAfter);
        }
        m.setBody(errorJson(code, message));
    }

    /** {@code {"ErrorCode": …, "ErrorMessage": …}}: the body of every refusal of the HTTP source. */
    static String errorJson(String code, String message) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("ErrorCode", code);
            g.writeStringField("ErrorMessage", message);
            g.writeEndObject();
        } catch (IOException io) {
            throw new UncheckedIOException(io);
        }
        return out.toString();
    }
}
