package io.kinesisbridge.server.operations;

import static io.kinesisbridge.server.ProtocolValues.blobValue;
import static io.kinesisbridge.server.ProtocolValues.booleanValue;
import static io.kinesisbridge.server.ProtocolValues.integerValue;
import static io.kinesisbridge.server.ProtocolValues.listStart;
import static io.kinesisbridge.server.ProtocolValues.stringValue;
import static io.kinesisbridge.server.ProtocolValues.structureStart;
import static io.kinesisbridge.server.ProtocolValues.timestampValue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.ValidationErrors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The members of a request (or structure) in the order AWS checks them. {@link #read} decodes a body by this
 * declaration (a member of the wrong type is a SerializationException; unknown members are skipped, as Kinesis
 * skips them); {@link #validate} gives the ValidationException for its constraints.
 */
public final class RequestShape {

    private final List<Member> members;
    private final Map<String, Member> byName = new HashMap<>();

    private RequestShape(List<Member> members) {
        this.members = List.copyOf(members);
        for (Member m : members) {
            if (byName.put(m.name(), m) != null) {
                throw new IllegalArgumentException("member declared twice: " + m.name());
            }
        }
    }

    public static RequestShape of(Member... members) {
        return new RequestShape(List.of(members));
    }

    public List<Member> members() {
        return members;
    }

    /** Reads the members of the object whose START_OBJECT the parser is on, up to and including its END_OBJECT. */
    public RequestValues read(JsonParser p) throws IOException {
        RequestValues values = new RequestValues();
        readInto(p, values);
        return values;
    }

    private void readInto(JsonParser p, RequestValues values) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            Member m = byName.get(field);
            if (m == null) {
                p.skipChildren();
                continue;
            }
            switch (m.type()) {
                case STRING -> values.put(field, stringValue(p, t));
                case INTEGER -> values.put(field, integerValue(p, t));
                case BOOLEAN -> values.put(field, booleanValue(p, t));
                case TIMESTAMP -> values.put(field, timestampValue(p, t));
                case BLOB -> values.put(field, blobValue(p, t));
                case STRUCTURE -> {
                    // a structure given again adds to the first; a null one leaves it as it was
                    if (structureStart(t)) {
                        RequestValues inner = values.structure(field);
                        if (inner == null) {
                            inner = new RequestValues();
                            values.put(field, inner);
                        }
                        m.members().readInto(p, inner);
                    }
                }
                case LIST -> values.put(field, listStart(t) ? readEntries(p, m.members()) : null);
            }
        }
    }

    private static List<RequestValues> readEntries(JsonParser p, RequestShape entry) throws IOException {
        List<RequestValues> entries = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            entries.add(structureStart(t) ? entry.read(p) : null);
        }
        return entries;
    }

    /** The ValidationException for the declared constraints, if the values break any. */
    public Optional<KinesisError> validate(RequestValues values) {
        ValidationErrors v = new ValidationErrors();
        check(v, values, "");
        return v.toError();
    }

    void check(ValidationErrors v, RequestValues values, String path) {
        for (Member m : members) {
            m.check(v, values, path);
        }
    }
}
