package io.kinesisbridge.source.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Splits an HTTP body into events: a JSON object is one event, a JSON array gives one event per element, NDJSON
 * (or any run of JSON values separated by whitespace) one event per value. Each event keeps the bytes it was
 * sent with. A body that is not JSON is refused with the line and column where it broke.
 */
public final class JsonEventSplitter {

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(500)
                    .maxNumberLength(1000)
                    .build())
            .build();

    private final int maxBodyBytes;

    public JsonEventSplitter(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Decodes a gzip body, refusing one that inflates past the body limit (413). */
    public byte[] gunzip(byte[] body) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body), 8192)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBodyBytes, body.length * 4 + 64));
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (out.size() + n > maxBodyBytes) {
                    throw new HttpProblem(
                            413,
                            "The body inflates to more than " + maxBodyBytes + " bytes (bridge.http.max-body-bytes)");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (ZipException e) {
            throw new HttpProblem(400, "Content-Encoding is gzip but the body is not valid gzip: " + e.getMessage());
        } catch (IOException e) {
            throw new HttpProblem(400, "Content-Encoding is gzip but the body could not be read: " + e.getMessage());
        }
    }

    /** The events of a body, in order. An empty body or one of only whitespace has none. */
    public List<byte[]> split(byte[] body) {
        if (body.length > maxBodyBytes) {
            throw new HttpProblem(
                    413,
                    "The body has " + body.length + " bytes, more than " + maxBodyBytes
                            + " (bridge.http.max-body-bytes)");
        }
        List<byte[]> events = new ArrayList<>();
        try (JsonParser p = JSON.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return events;
            }
            if (first == JsonToken.START_ARRAY) {
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) {
                        throw malformed(p.currentLocation(), "the array is not closed");
                    }
                    events.add(slice(body, p));
                }
                if (p.nextToken() != null) {
                    throw malformed(p.currentTokenLocation(), "content after the closing ] of the array");
                }
                return events;
            }
            JsonToken t = first;
            while (t != null) {
                events.add(slice(body, p));
                t = p.nextToken();
            }
            return events;
        } catch (JsonProcessingException e) {
            throw malformed(e.getLocation(), e.getOriginalMessage());
        } catch (IOException e) {
            throw new HttpProblem(400, "The body could not be read: " + e.getMessage());
        }
    }

    /** The bytes of the value whose first token the parser is on; leaves the parser on its last token. */
    private static byte[] slice(byte[] body, JsonParser p) throws IOException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        if (p.currentToken().isScalarValue()) {
            p.finishToken(); // strings are read lazily: their end is known only once finished
        }
        p.skipChildren();
        int end = (int) p.currentLocation().getByteOffset();
        if (start < 0 || end < start) {
            // no byte offsets: the parser took the body for UTF-16 or UTF-32
            throw new HttpProblem(400, "The body must be JSON encoded in UTF-8");
        }
        // a number at the root ends only at the whitespace after it, which the parser has then consumed
        while (end > start && isWhitespace(body[end - 1])) {
            end--;
        }
        return Arrays.copyOfRange(body, start, end);
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private static HttpProblem malformed(JsonLocation where, String what) {
        String at = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
        return new HttpProblem(400, "Malformed JSON" + at + ": " + what);
    }
}
