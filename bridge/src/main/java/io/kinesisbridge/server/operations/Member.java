package io.kinesisbridge.server.operations;

import io.kinesisbridge.put.ValidationErrors;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One member of a request as its operation declares it: the wire name, the type it is read as, and the
 * constraints AWS checks on it (required, pattern, length, value range, enumerated values), in AWS's order.
 * A structure declares its own members; a list holds structures of the declared members.
 */
public final class Member {

    public enum Type {
        STRING,
        INTEGER,
        BOOLEAN,
        TIMESTAMP,
        BLOB,
        STRUCTURE,
        LIST
    }

    private static final Predicate<RequestValues> NEVER = r -> false;
    private static final Predicate<RequestValues> ALWAYS = r -> true;

    private final String name;
    private final Type type;
    private final RequestShape members;
    private Predicate<RequestValues> required = NEVER;
    private String pattern;
    private Predicate<String> matches;
    private int minLength;
    private int maxLength = Integer.MAX_VALUE;
    private long min = Long.MIN_VALUE;
    private long max = Long.MAX_VALUE;
    private List<String> values;

    private Member(String name, Type type, RequestShape members) {
        this.name = name;
        this.type = type;
        this.members = members;
    }

    public static Member string(String name) {
        return new Member(name, Type.STRING, null);
    }

    public static Member integer(String name) {
        return new Member(name, Type.INTEGER, null);
    }

    public static Member bool(String name) {
        return new Member(name, Type.BOOLEAN, null);
    }

    public static Member timestamp(String name) {
        return new Member(name, Type.TIMESTAMP, null);
    }

    public static Member blob(String name) {
        return new Member(name, Type.BLOB, null);
    }

    /** A structure; its members are checked (as {@code name.member}) only when it is given. */
    public static Member structure(String name, Member... members) {
        return new Member(name, Type.STRUCTURE, RequestShape.of(members));
    }

    /** A list of structures; its entries are read, their constraints are the operation's to check. */
    public static Member listOf(String name, Member... entryMembers) {
        return new Member(name, Type.LIST, RequestShape.of(entryMembers));
    }

    public Member required() {
        return requiredWhen(ALWAYS);
    }

    /** Required when the condition holds on the request's (or enclosing structure's) values. */
    public Member requiredWhen(Predicate<RequestValues> condition) {
        this.required = condition;
        return this;
    }

    /** A pattern the whole value must match; {@code regex} is also the text AWS names in its message. */
    public Member pattern(String regex) {
        Pattern compiled = Pattern.compile(regex);
        this.pattern = regex;
        this.matches = s -> compiled.matcher(s).matches();
        return this;
    }

    public Member length(int minLength, int maxLength) {
        this.minLength = minLength;
        this.maxLength = maxLength;
        return this;
    }

    public Member range(long min, long max) {
        this.min = min;
        this.max = max;
        return this;
    }

    /** The values an enumerated string may take, in the order AWS lists them. */
    public Member oneOf(List<String> values) {
        this.values = List.copyOf(values);
        return this;
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    /** The members of a structure, or of a list's entries; null for a scalar. */
    RequestShape members() {
        return members;
    }

    /** The name AWS gives the member in a ValidationException: lower camel case, under its enclosing path. */
    String field(String path) {
        String own = name.substring(0, 1).toLowerCase(Locale.ROOT) + name.substring(1);
        return path.isEmpty() ? own : path + "." + own;
    }

    /** Adds this member's violations among {@code values}, the values of its request or enclosing structure. */
    void check(ValidationErrors v, RequestValues values, String path) {
        String field = field(path);
        boolean isRequired = required.test(values);
        switch (type) {
            case STRING -> {
                String s = values.string(name);
                if (this.values != null) {
                    v.oneOf(field, s, isRequired, this.values);
                } else {
                    v.string(
                            field,
                            s,
                            isRequired,
                            pattern,
                            s != null && (matches == null || matches.test(s)),
                            minLength,
                            maxLength);
                }
            }
            case INTEGER -> v.integer(field, values.integer(name), isRequired, min, max);
            case STRUCTURE -> {
                RequestValues inner = values.structure(name);
                if (v.notNull(field, inner, isRequired)) {
                    members.check(v, inner, field);
                }
            }
            default -> v.notNull(field, values.get(name), isRequired);
        }
    }
}
