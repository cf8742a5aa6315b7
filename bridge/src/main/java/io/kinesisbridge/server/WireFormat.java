package io.kinesisbridge.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.util.Optional;

/**
 * The two encodings of the Kinesis protocol: JSON 1.1 (the AWS CLI, most SDKs) and CBOR 1.1 (the AWS SDK for
 * Java, by default). Both are read and written through Jackson, so one codec ({@link ProtocolValues})
 * serves both; it tells them apart where they differ (Blob, Timestamp).
 */
public enum WireFormat {
    JSON("application/x-amz-json-1.1", JsonFactory.builder().build()),
    CBOR("application/x-amz-cbor-1.1", CBORFactory.builder().build());

    private final String contentType;
    private final JsonFactory factory;

    WireFormat(String contentType, JsonFactory factory) {
        this.contentType = contentType;
        this.factory = factory;
    }

    public String contentType() {
        return contentType;
    }

    public JsonFactory factory() {
        return factory;
    }

    /** The format of a Content-Type header value (parameters after ';' ignored), if it is one of the two. */
    public static Optional<WireFormat> of(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        for (WireFormat f : values()) {
            if (f.contentType.equalsIgnoreCase(type)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
