package io.kinesisbridge.server.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.server.WireFormat;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The member decoder and validator fed random declarations: members of every type with random constraints, and
 * requests that satisfy them, break one constraint, or give one member a value of another type. Both encodings.
 */
class RequestShapeProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String NAME_CHARACTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";

    /** The kinds of JSON value a member can be given. */
    enum Kind {
        STRING,
        NUMBER,
        BOOLEAN,
        ARRAY,
        OBJECT
    }

    /**
     * One declared member with what satisfies it: {@code valid} gives a value its constraints accept (as the Java
     * value the decoder gives back), {@code breaking} one that a constraint refuses, if the member has such a
     * constraint besides being required.
     */
    record Declared(Member member, boolean required, Arbitrary<Object> valid, Optional<Arbitrary<Object>> breaking) {}

    record Shape(RequestShape shape, List<Declared> members) {}

    // ---- properties --------------------------------------------------------------------------------------------

    @Property(tries = 300)
    void membersThatSatisfyTheDeclaration_decodeToTheirValues_andValidate(
            @ForAll("valid") Request request, @ForAll WireFormat format) throws IOException {
        RequestValues values = read(request.shape().shape(), format, request.body(format));

        assertThat(request.shape().shape().validate(values)).isEmpty();
        for (Map.Entry<String, Object> given : request.given().entrySet()) {
            Object decoded = values.get(given.getKey());
            if (given.getValue() instanceof byte[] bytes) {
                assertThat((byte[]) decoded).as(given.getKey()).isEqualTo(bytes);
            } else {
                assertThat(decoded).as(given.getKey()).isEqualTo(given.getValue());
            }
        }
        for (Declared d : request.shape().members()) {
            if (!request.given().containsKey(d.member().name())) {
                assertThat(values.get(d.member().name())).as(d.member().name()).isNull();
            }
        }
    }

    @Property(tries = 300)
    void membersTheDeclarationDoesNotKnow_areSkipped(
            @ForAll("valid") Request request, @ForAll WireFormat format, @ForAll("anyValue") JsonNode unknown)
            throws IOException {
        ObjectNode body = request.node(format);
        body.set("NotDeclared", unknown);
        RequestValues values = read(request.shape().shape(), format, bytes(format, body));

        assertThat(values.get("NotDeclared")).isNull();
        assertThat(request.shape().shape().validate(values)).isEmpty();
    }

    @Property(tries = 300)
    void aMemberOfAnotherType_isTheSerializationExceptionAwsGivesThatType(
            @ForAll("valid") Request request,
            @ForAll WireFormat format,
            @ForAll("memberIndex") int pick,
            @ForAll("kind") Kind kind) {
        Declared target =
                request.shape().members().get(pick % request.shape().members().size());
        Optional<String> expected = typeError(target.member().type(), kind);
        if (expected.isEmpty()) {
            return; // this kind is the member's own type
        }
        ObjectNode body = request.node(format);
        body.set(target.member().name(), valueOf(kind));

        assertThatThrownBy(() -> read(request.shape().shape(), format, bytes(format, body)))
                .isInstanceOfSatisfying(
                        KinesisException.class,
                        e -> assertThat(e.error())
                                .isEqualTo(new KinesisError(KinesisError.SERIALIZATION, expected.get())));
    }

    @Property(tries = 300)
    void aMissingRequiredMember_isAValidationExceptionNamingIt(
            @ForAll("valid") Request request, @ForAll WireFormat format, @ForAll("memberIndex") int pick)
            throws IOException {
        Declared target =
                request.shape().members().get(pick % request.shape().members().size());
        if (!target.required()) {
            return;
        }
        ObjectNode body = request.node(format);
        body.remove(target.member().name());
        RequestValues values = read(request.shape().shape(), format, bytes(format, body));

        assertThat(request.shape().shape().validate(values)).get().satisfies(e -> {
            assertThat(e.code()).isEqualTo(KinesisError.VALIDATION);
            assertThat(e.message())
                    .isEqualTo("1 validation error detected: Value null at '"
                            + target.member().field("") + "' failed to satisfy constraint: Member must not be null");
        });
    }

    @Property(tries = 300)
    void aValueBreakingAConstraint_isAValidationExceptionNamingTheMember(
            @ForAll("breakingOne") Broken broken, @ForAll WireFormat format) throws IOException {
        RequestShape shape = broken.request().shape().shape();
        RequestValues values = read(shape, format, broken.request().body(format));

        // a value can break two constraints of its member (pattern and length); no other member is named
        assertThat(shape.validate(values)).get().satisfies(e -> {
            assertThat(e.code()).isEqualTo(KinesisError.VALIDATION);
            assertThat(e.message())
                    .matches("[12] validation errors? detected: Value .*")
                    .contains(" at '" + broken.member().field("") + "' failed to satisfy constraint: Member must ");
            assertThat(e.message().split(" at '"))
                    .allSatisfy(part -> assertThat(part)
                            .satisfiesAnyOf(
                                    p -> assertThat(p)
                                            .startsWith(broken.member().field("") + "'"),
                                    p -> assertThat(p).doesNotContain("' failed to satisfy constraint")));
        });
    }

    @Example
    void aStructure_isCheckedUnderItsOwnName_onlyWhenGiven() throws IOException {
        RequestShape shape = RequestShape.of(
                Member.structure("Details", Member.string("Mode").required().oneOf(List.of("A", "B"))));

        assertThat(shape.validate(read(shape, WireFormat.JSON, "{}".getBytes())))
                .isEmpty();
        assertThat(shape.validate(read(shape, WireFormat.JSON, "{\"Details\":null}".getBytes())))
                .isEmpty();
        assertThat(shape.validate(read(shape, WireFormat.JSON, "{\"Details\":{\"Mode\":\"C\"}}".getBytes())))
                .contains(
                        new KinesisError(
                                KinesisError.VALIDATION,
                                "1 validation error detected: Value 'C' at "
                                        + "'details.mode' failed to satisfy constraint: Member must satisfy enum value set: [A, B]"));
    }

    @Example
    void aListOfStructures_keepsItsNullEntries() throws IOException {
        RequestShape shape = RequestShape.of(Member.listOf("Entries", Member.string("Key")));

        RequestValues values = read(shape, WireFormat.JSON, "{\"Entries\":[{\"Key\":\"k\"},null]}".getBytes());

        assertThat(values.list("Entries")).hasSize(2);
        assertThat(values.list("Entries").get(0).string("Key")).isEqualTo("k");
        assertThat(values.list("Entries").get(1)).isNull();
    }

    // ---- the messages AWS gives a value of another type -----------------------------------------------------------

    private static Optional<String> typeError(Member.Type type, Kind given) {
        String truncating = "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to ";
        return Optional.ofNullable(
                switch (type) {
                    case STRING ->
                        switch (given) {
                            case STRING -> null;
                            case NUMBER -> truncating + "an String";
                            case BOOLEAN -> "class java.lang.Boolean can not be converted to an String";
                            case ARRAY -> "Start of list found where not expected";
                            case OBJECT -> "Start of structure or map found where not expected.";
                        };
                    case INTEGER ->
                        switch (given) {
                            case NUMBER -> null;
                            case STRING -> "class java.lang.String can not be converted to an Integer";
                            case BOOLEAN -> "class java.lang.Boolean can not be converted to an Integer";
                            case ARRAY -> "Start of list found where not expected";
                            case OBJECT -> "Start of structure or map found where not expected.";
                        };
                    case BOOLEAN ->
                        switch (given) {
                            case BOOLEAN -> null;
                            case STRING -> "'" + NOT_A_BOOLEAN.toUpperCase() + "' can not be converted to an Boolean";
                            case NUMBER -> truncating + "an Boolean";
                            case ARRAY -> "Start of list found where not expected";
                            case OBJECT -> "Start of structure or map found where not expected.";
                        };
                    case TIMESTAMP ->
                        switch (given) {
                            case NUMBER -> null;
                            case STRING -> "class java.lang.String can not be converted to milliseconds since epoch";
                            case BOOLEAN -> "class java.lang.Boolean can not be converted to milliseconds since epoch";
                            case ARRAY -> "Start of list found where not expected";
                            case OBJECT -> "Start of structure or map found where not expected.";
                        };
                    case BLOB ->
                        switch (given) {
                            case STRING -> null; // base64 text: valid or not, that is the Blob's own check
                            case NUMBER -> truncating + "a Blob";
                            case BOOLEAN -> "class java.lang.Boolean can not be converted to a Blob";
                            case ARRAY -> "Start of list found where not expected";
                            case OBJECT -> "Start of structure or map found where not expected.";
                        };
                    case STRUCTURE ->
                        switch (given) {
                            case OBJECT -> null;
                            case ARRAY -> "Start of list found where not expected";
                            default -> "Expected null";
                        };
                    case LIST ->
                        switch (given) {
                            case ARRAY -> null;
                            case OBJECT -> "Start of structure or map found where not expected.";
                            default -> "Expected list or null";
                        };
                });
    }

    private static final String NOT_A_BOOLEAN = "maybe";

    private static JsonNode valueOf(Kind kind) {
        return switch (kind) {
            case STRING -> NODES.textNode(NOT_A_BOOLEAN);
            case NUMBER -> NODES.numberNode(12);
            case BOOLEAN -> NODES.booleanNode(true);
            case ARRAY -> NODES.arrayNode().add(1);
            case OBJECT -> NODES.objectNode().put("A", 1);
        };
    }

    // ---- generators --------------------------------------------------------------------------------------------

    /** A declaration and the members a request gives it, in the declaration's order. */
    record Request(Shape shape, Map<String, Object> given) {

        ObjectNode node(WireFormat format) {
            ObjectNode body = NODES.objectNode();
            given.forEach((name, value) -> body.set(name, wire(value, format)));
            return body;
        }

        byte[] body(WireFormat format) throws IOException {
            return bytes(format, node(format));
        }
    }

    /** As the protocol carries it: a Timestamp is epoch seconds in JSON 1.1 and epoch milliseconds in CBOR 1.1. */
    private static JsonNode wire(Object value, WireFormat format) {
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Instant t) {
            return NODES.numberNode(format == WireFormat.CBOR ? t.toEpochMilli() : t.getEpochSecond());
        }
        return NODES.binaryNode((byte[]) value);
    }

    @Provide
    Arbitrary<Request> valid() {
        return shapes().flatMap(shape -> {
            List<Arbitrary<Optional<Object>>> values = new ArrayList<>();
            for (Declared d : shape.members()) {
                values.add(
                        d.required() ? d.valid().map(Optional::of) : d.valid().optional(0.6));
            }
            return Combinators.combine(values).as(given -> request(shape, given));
        });
    }

    /** A request whose required members are valid and one member breaks a constraint other than being required. */
    record Broken(Request request, Member member) {}

    @Provide
    Arbitrary<Broken> breakingOne() {
        return shapes().filter(
                        s -> s.members().stream().anyMatch(d -> d.breaking().isPresent()))
                .flatMap(shape -> {
                    List<Declared> breakable = shape.members().stream()
                            .filter(d -> d.breaking().isPresent())
                            .toList();
                    return Arbitraries.of(breakable).flatMap(target -> {
                        List<Arbitrary<Optional<Object>>> values = new ArrayList<>();
                        for (Declared d : shape.members()) {
                            if (d == target) {
                                values.add(d.breaking().get().map(Optional::of));
                            } else if (d.required()) {
                                values.add(d.valid().map(Optional::of));
                            } else {
                                values.add(Arbitraries.just(Optional.empty()));
                            }
                        }
                        return Combinators.combine(values)
                                .as(given -> new Broken(request(shape, given), target.member()));
                    });
                });
    }

    private static Request request(Shape shape, List<Optional<Object>> values) {
        Map<String, Object> given = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            int index = i;
            values.get(i)
                    .ifPresent(
                            v -> given.put(shape.members().get(index).member().name(), v));
        }
        return new Request(shape, given);
    }

    private Arbitrary<Shape> shapes() {
        return Arbitraries.integers().between(1, 6).flatMap(n -> {
            List<Arbitrary<Declared>> members = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                members.add(declared("Member" + i));
            }
            return Combinators.combine(members)
                    .as(list -> new Shape(
                            RequestShape.of(list.stream().map(Declared::member).toArray(Member[]::new)), list));
        });
    }

    private Arbitrary<Declared> declared(String name) {
        Arbitrary<Boolean> required = Arbitraries.of(true, false);
        return Arbitraries.oneOf(
                Combinators.combine(
                                required,
                                Arbitraries.integers().between(0, 3),
                                Arbitraries.integers().between(1, 20))
                        .as((req, min, extra) -> plainString(name, req, min, min + extra)),
                Combinators.combine(
                                required,
                                Arbitraries.integers().between(1, 3),
                                Arbitraries.integers().between(0, 20))
                        .as((req, min, extra) -> nameString(name, req, min, min + extra)),
                required.map(req -> sequenceString(name, req)),
                Combinators.combine(
                                required,
                                Arbitraries.strings()
                                        .withCharRange('A', 'Z')
                                        .ofMinLength(1)
                                        .ofMaxLength(8)
                                        .list()
                                        .uniqueElements()
                                        .ofMinSize(1)
                                        .ofMaxSize(4))
                        .as((req, values) -> enumerated(name, req, values)),
                Combinators.combine(
                                required,
                                Arbitraries.integers().between(-100, 100),
                                Arbitraries.integers().between(0, 1000))
                        .as((req, lo, span) -> integer(name, req, lo, lo + span)),
                required.map(req -> scalar(
                        req, Member.bool(name), Arbitraries.of(true, false).map(b -> b))),
                required.map(req -> scalar(
                        req,
                        Member.timestamp(name),
                        Arbitraries.longs().between(0, 4_000_000_000L).map(s -> Instant.ofEpochSecond(s)))),
                required.map(req -> scalar(
                        req,
                        Member.blob(name),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(64).map(b -> b))));
    }

    private static Declared scalar(boolean required, Member member, Arbitrary<Object> valid) {
        return new Declared(required ? member.required() : member, required, valid, Optional.empty());
    }

    private static Declared plainString(String name, boolean required, int min, int max) {
        Member m = Member.string(name).length(min, max);
        Arbitrary<Object> valid =
                Arbitraries.strings().alpha().ofMinLength(min).ofMaxLength(max).map(s -> s);
        Arbitrary<Object> tooLong = Arbitraries.strings()
                .alpha()
                .ofMinLength(max + 1)
                .ofMaxLength(max + 10)
                .map(s -> s);
        Arbitrary<Object> breaking = min > 0
                ? Arbitraries.oneOf(
                        tooLong,
                        Arbitraries.strings().alpha().ofMaxLength(min - 1).map(s -> s))
                : tooLong;
        return new Declared(required ? m.required() : m, required, valid, Optional.of(breaking));
    }

    private static Declared nameString(String name, boolean required, int min, int max) {
        Member m = Member.string(name).pattern("[a-zA-Z0-9_.-]+").length(min, max);
        Arbitrary<Object> valid = Arbitraries.strings()
                .withChars(NAME_CHARACTERS)
                .ofMinLength(min)
                .ofMaxLength(max)
                .map(s -> s);
        Arbitrary<Object> breaking = Arbitraries.oneOf(
                Arbitraries.strings()
                        .withChars(NAME_CHARACTERS)
                        .ofMinLength(max + 1)
                        .ofMaxLength(max + 10)
                        .map(s -> s),
                Arbitraries.of("a b", "name/x", "é").map(s -> s));
        return new Declared(required ? m.required() : m, required, valid, Optional.of(breaking));
    }

    private static Declared sequenceString(String name, boolean required) {
        Member m = Member.string(name).pattern("0|([1-9]\\d{0,128})");
        Arbitrary<Object> valid = Arbitraries.oneOf(
                        Arbitraries.just("0"),
                        Arbitraries.bigIntegers()
                                .between(BigInteger.ONE, BigInteger.TEN.pow(60))
                                .map(Object::toString))
                .map(s -> s);
        Arbitrary<Object> breaking = Arbitraries.of("01", "-1", "1.5", "x", "").map(s -> s);
        return new Declared(required ? m.required() : m, required, valid, Optional.of(breaking));
    }

    private static Declared enumerated(String name, boolean required, List<String> values) {
        Member m = Member.string(name).oneOf(values);
        Arbitrary<Object> valid = Arbitraries.of(values).map(s -> s);
        Arbitrary<Object> breaking = Arbitraries.strings()
                .withCharRange('a', 'z')
                .ofMinLength(1)
                .ofMaxLength(8)
                .map(s -> s);
        return new Declared(required ? m.required() : m, required, valid, Optional.of(breaking));
    }

    private static Declared integer(String name, boolean required, int min, int max) {
        Member m = Member.integer(name).range(min, max);
        Arbitrary<Object> valid = Arbitraries.integers().between(min, max).map(i -> i);
        Arbitrary<Object> breaking = Arbitraries.oneOf(
                        Arbitraries.integers().between(max + 1, max + 1000),
                        Arbitraries.integers().between(min - 1000, min - 1))
                .map(i -> i);
        return new Declared(required ? m.required() : m, required, valid, Optional.of(breaking));
    }

    @Provide
    Arbitrary<Integer> memberIndex() {
        return Arbitraries.integers().between(0, 100);
    }

    @Provide
    Arbitrary<Kind> kind() {
        return Arbitraries.of(Kind.class);
    }

    @Provide
    Arbitrary<JsonNode> anyValue() {
        return Arbitraries.of(Kind.class).map(RequestShapeProperties::valueOf);
    }

    // ---- reading -----------------------------------------------------------------------------------------------

    private static byte[] bytes(WireFormat format, JsonNode body) throws IOException {
        return (format == WireFormat.CBOR ? CBOR : JSON).writeValueAsBytes(body);
    }

    private static RequestValues read(RequestShape shape, WireFormat format, byte[] body) throws IOException {
        try (JsonParser p = format.factory().createParser(body)) {
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            return shape.read(p);
        }
    }
}
