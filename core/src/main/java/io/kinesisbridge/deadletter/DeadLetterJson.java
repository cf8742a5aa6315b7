package io.kinesisbridge.deadletter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.PutRecordJson;
import io.kinesisbridge.put.PutRequest;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * One dead letter per line: why and when, then under {@code Request} the PutRecord request in its wire form,
 * ready for {@code jq -c .Request | aws kinesis put-record --cli-input-json}:
 * <pre>{"Time":"…","StreamName":"logs","ErrorCode":"ValidationException","ErrorMessage":"…","Attempts":1,"Request":{…}}</pre>
 */
public final class DeadLetterJson {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private DeadLetterJson() {}

    public static String write(DeadLetter letter) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("Time", letter.time().toString());
            g.writeStringField("StreamName", letter.streamName());
            g.writeStringField("ErrorCode", letter.error().code());
            g.writeStringField("ErrorMessage", letter.error().message());
            g.writeNumberField("Attempts", letter.attempts());
            g.writeFieldName("Request");
            PutRecordJson.write(g, letter.request());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static DeadLetter read(String line) {
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a dead letter is a JSON object");
            }
            Instant time = null;
            String stream = null;
            String code = null;
            String message = null;
            int attempts = 0;
            PutRequest request = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken token = p.nextToken();
                switch (field) {
                    case "Time" -> time = Instant.parse(p.getText());
                    case "StreamName" -> stream = p.getText();
                    case "ErrorCode" -> code = p.getText();
                    case "ErrorMessage" -> message = p.getText();
                    case "Attempts" -> attempts = p.getIntValue();
                    case "Request" -> {
                        if (token != JsonToken.START_OBJECT) {
                            throw new IllegalArgumentException("Request must be a JSON object");
                        }
                        request = PutRecordJson.read(p);
                    }
                    default -> p.skipChildren();
                }
            }
            if (request == null || code == null) {
                throw new IllegalArgumentException("a dead letter needs ErrorCode and Request");
            }
            return new DeadLetter(
                    time == null ? Instant.EPOCH : time,
                    stream == null ? request.streamName() : stream,
                    request,
                    new KinesisError(code, message == null ? "" : message),
                    attempts);
        } catch (JsonProcessingException e) {
            // where, not what: Jackson's message quotes the text it could not parse, and this message may be logged
            JsonLocation at = e.getLocation();
            throw new IllegalArgumentException(
                    "not a dead letter: malformed JSON" + (at == null ? "" : " at column " + at.getColumnNr()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
