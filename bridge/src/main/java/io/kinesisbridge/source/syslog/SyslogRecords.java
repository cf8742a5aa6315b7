package io.kinesisbridge.source.syslog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.netty.NettyConstants;

/**
 * What the syslog route calls to turn a received message into a record: a JSON object with {@code format},
 * {@code priority}, {@code facility}, {@code severity}, {@code timestamp}, {@code host}, {@code app},
 * {@code procid}, {@code msgid}, {@code structuredData} and {@code message} (absent fields left out). A message
 * that does not parse becomes {@code {"unparsed": true, "error": …, "raw": …, "host": <sender address>}}; a
 * message cut to the maximum size carries {@code "truncated": true} and {@code "sizeOnWire"}.
 */
public final class SyslogRecords {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final SyslogParser parser;

    public SyslogRecords(SyslogParser parser) {
        this.parser = parser;
    }

    /** Replaces the body (a {@link SyslogFrame}, or bytes) by the record's JSON. */
    public void toRecord(Exchange exchange) {
        Message m = exchange.getMessage();
        Object body = m.getBody();
        SyslogFrame frame = body instanceof SyslogFrame f ? f : new SyslogFrame(m.getBody(byte[].class));
        Optional<String> sender = senderOf(m.getHeader(NettyConstants.NETTY_REMOTE_ADDRESS));
        m.setBody(toJson(frame, sender));
    }

    public byte[] toJson(SyslogFrame frame, Optional<String> sender) {
        String text = new String(frame.bytes(), StandardCharsets.UTF_8);
        SyslogParseResult result = parser.parse(text);
        ByteArrayOutputStream out = new ByteArrayOutputStream(frame.bytes().length + 160);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            if (result instanceof SyslogParseResult.Parsed parsed) {
                SyslogMessage msg = parsed.message();
                g.writeStringField("format", msg.format().label());
                g.writeNumberField("priority", msg.priority());
                g.writeStringField("facility", msg.facility());
                g.writeStringField("severity", msg.severity());
                optional(g, "timestamp", msg.timestamp());
                optional(g, "host", msg.host().or(() -> sender));
                optional(g, "app", msg.app());
                optional(g, "procid", msg.procid());
                optional(g, "msgid", msg.msgid());
                if (!msg.structuredData().isEmpty()) {
                    g.writeObjectFieldStart("structuredData");
                    for (Map.Entry<String, Map<String, List<String>>> element :
                            msg.structuredData().entrySet()) {
                        g.writeObjectFieldStart(element.getKey());
                        for (Map.Entry<String, List<String>> param :
                                element.getValue().entrySet()) {
                            if (param.getValue().size() == 1) {
                                g.writeStringField(
                                        param.getKey(), param.getValue().get(0));
                            } else {
                                g.writeArrayFieldStart(param.getKey());
                                for (String v : param.getValue()) {
                                    g.writeString(v);
                                }
                                g.writeEndArray();
                            }
                        }
                        g.writeEndObject();
                    }
                    g.writeEndObject();
                }
                g.writeStringField("message", msg.message());
            } else {
                SyslogParseResult.Unparsed unparsed = (SyslogParseResult.Unparsed) result;
                g.writeBooleanField("unparsed", true);
                g.writeStringField("error", unparsed.error());
                optional(g, "host", sender);
                g.writeStringField("raw", unparsed.raw());
            }
            if (frame.truncated()) {
                g.writeBooleanField("truncated", true);
                g.writeNumberField("sizeOnWire", frame.sizeOnWire());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void optional(JsonGenerator g, String field, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(field, value.get());
        }
    }

    private static Optional<String> senderOf(Object address) {
        if (address instanceof InetSocketAddress inet) {
            return Optional.of(inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString());
        }
        return address instanceof SocketAddress a ? Optional.of(a.toString()) : Optional.empty();
    }
}
