package io.kinesisbridge.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Raw Kinesis JSON 1.1 requests, as the AWS CLI sends them, with an Authorization header of SigV4's shape (no
 * real signature: kinesalite and the bridge with bridge.endpoint.require-signature only check the shape).
 */
final class KinesisHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    record Answer(int status, JsonNode body, String raw, HttpHeaders headers) {
        String type() {
            return body.path("__type").asText(null);
        }

        /** The error message, whichever field holds it, and the field's name. */
        String message() {
            return body.has("message")
                    ? body.get("message").asText()
                    : body.path("Message").asText(null);
        }

        String messageField() {
            return body.has("message") ? "message" : body.has("Message") ? "Message" : null;
        }
    }

    private KinesisHttp() {}

    static Answer call(String url, String operation, String body) throws IOException, InterruptedException {
        return unsigned(
                url + "/",
                operation,
                body,
                "X-Amz-Date",
                "20260101T000000Z",
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/us-east-1/kinesis/aws4_request, "
                        + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000");
    }

    /** A request with only the protocol's headers and {@code headers} (name, value, …): no signature unless given. */
    static Answer unsigned(String url, String operation, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "Kinesis_20131202." + operation)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json =
                r.body().isEmpty() || !r.body().startsWith("{") ? JSON.createObjectNode() : JSON.readTree(r.body());
        return new Answer(r.statusCode(), json, r.body(), r.headers());
    }

    static Answer call(String url, String operation, JsonNode body) throws IOException, InterruptedException {
        return call(url, operation, JSON.writeValueAsString(body));
    }
}
