package io.kinesisbridge.server.operations;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The members of one request (or of one structure in it) as they were read, by wire name; an absent member
 * and one given as null both read as null.
 */
public final class RequestValues {

    private final Map<String, Object> values = new HashMap<>(8);

    void put(String name, Object value) {
        values.put(name, value);
    }

    public Object get(String name) {
        return values.get(name);
    }

    public String string(String name) {
        return (String) values.get(name);
    }

    public Integer integer(String name) {
        return (Integer) values.get(name);
    }

    public Boolean bool(String name) {
        return (Boolean) values.get(name);
    }

    public Instant timestamp(String name) {
        return (Instant) values.get(name);
    }

    public byte[] blob(String name) {
        return (byte[]) values.get(name);
    }

    /** A structure member's values, or null when it was not given. */
    public RequestValues structure(String name) {
        return (RequestValues) values.get(name);
    }

    /** A list member's entries (null where an entry was null), or null when it was not given. */
    @SuppressWarnings("unchecked")
    public List<RequestValues> list(String name) {
        return (List<RequestValues>) values.get(name);
    }
}
