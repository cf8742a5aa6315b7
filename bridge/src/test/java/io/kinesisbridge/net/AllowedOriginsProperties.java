package io.kinesisbridge.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kinesisbridge.app.BridgeSettings;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The CORS settings' origins (bridge.http.cors.allowed-origins, bridge.endpoint.cors.allowed-origins): what they take,
 * what they refuse and why, and how a request's Origin is matched.
 */
class AllowedOriginsProperties {

    private static AllowedOrigins parse(String value) {
        return AllowedOrigins.parse(value, "bridge.http.cors.allowed-origins");
    }

    @Test
    void emptyValue_isOff_andAllowsNothing() {
        assertThat(parse("").enabled()).isFalse();
        assertThat(parse(" , ")).isEqualTo(AllowedOrigins.NONE);
        assertThat(AllowedOrigins.NONE.allows("http://localhost:3000")).isFalse();
    }

    @Test
    void star_allowsEveryOrigin_nullIncluded() {
        assertThat(parse("*")).isEqualTo(AllowedOrigins.ANY);
        assertThat(AllowedOrigins.ANY.allows("https://anything.example")).isTrue();
        assertThat(AllowedOrigins.ANY.allows("null")).isTrue();
    }

    @Test
    void loopback_allowsPagesOfThisMachine_onAnyPort_only() {
        AllowedOrigins loopback = parse("loopback");
        assertThat(loopback).isEqualTo(AllowedOrigins.LOOPBACK);
        assertThat(loopback.allows("http://localhost:5173")).isTrue();
        assertThat(loopback.allows("http://127.0.0.1:8000")).isTrue();
        assertThat(loopback.allows("https://127.1.2.3")).isTrue();
        assertThat(loopback.allows("http://[::1]:3000")).isTrue();
        assertThat(loopback.allows("http://localhost.evil.example")).isFalse();
        assertThat(loopback.allows("http://127.0.0.1.evil.example")).isFalse();
        assertThat(loopback.allows("http://10.0.0.5:8000")).isFalse();
        assertThat(loopback.allows("chrome-extension://localhost")).isFalse();
        assertThat(loopback.allows("null")).isFalse();
        AllowedOrigins both = parse("loopback, https://shop.example");
        assertThat(both.allows("https://shop.example")).isTrue();
        assertThat(both.allows("http://localhost:1")).isTrue();
    }

    @Test
    void aList_allowsItsOrigins_only() {
        AllowedOrigins list = parse("http://localhost:3000, https://shop.example");
        assertThat(list.allows("http://localhost:3000")).isTrue();
        assertThat(list.allows("https://shop.example")).isTrue();
        assertThat(list.allows("http://localhost:3001")).isFalse();
        assertThat(list.allows("http://shop.example"))
                .as("another scheme is another origin")
                .isFalse();
        assertThat(list.allows("https://evil.shop.example")).isFalse();
        assertThat(list.allows("https://shop.example.evil")).isFalse();
        assertThat(list.allows("null")).isFalse();
        assertThat(list.allows("")).isFalse();
    }

    @Test
    void valuesThatAreNotOrigins_areRefused_withTheEntryAndTheRule() {
        assertThat(AllowedOrigins.problem("http://localhost:3000/"))
                .contains("`http://localhost:3000/`", "without a path or a trailing /");
        assertThat(AllowedOrigins.problem("https://shop.example/app"))
                .contains("`https://shop.example/app`", "not an origin");
        assertThat(AllowedOrigins.problem("localhost:3000")).contains("not an origin");
        assertThat(AllowedOrigins.problem("https://*.example.com")).contains("not an origin");
        assertThat(AllowedOrigins.problem("https://user@shop.example")).contains("not an origin");
        assertThat(AllowedOrigins.problem("null")).contains("`null`", "any page can");
        assertThat(AllowedOrigins.problem("*, http://localhost:3000")).contains("one or the other");
        assertThat(AllowedOrigins.problem("http://localhost:3000,https://shop.example"))
                .isNull();
    }

    @Test
    void aMalformedValue_stopsTheStart_namingTheSetting() {
        assertThatThrownBy(() -> BridgeSettings.load(
                        Optional.empty(),
                        Map.of(),
                        Map.of("bridge.http.cors.allowed-origins", "http://localhost:3000/")))
                .hasMessageContaining("bridge.http.cors.allowed-origins")
                .hasMessageContaining("not an origin");
        assertThatThrownBy(() -> BridgeSettings.load(
                        Optional.empty(), Map.of(), Map.of("bridge.endpoint.cors.allowed-origins", "*, loopback")))
                .hasMessageContaining("bridge.endpoint.cors.allowed-origins")
                .hasMessageContaining("one or the other");
        assertThatThrownBy(() -> parse("null")).hasMessageStartingWith("bridge.http.cors.allowed-origins");
    }

    @Property
    void anOrigin_matchesItself_inAnyCase_andWithItsDefaultPortWrittenOut(@ForAll("origins") Origin o) {
        AllowedOrigins policy = parse(o.text());
        assertThat(policy.allows(o.text())).isTrue();
        assertThat(policy.allows(o.text().toUpperCase(Locale.ROOT))).isTrue();
        assertThat(policy.allows(o.withDefaultPort())).isTrue();
        assertThat(policy.allows(o.text() + "/")).as("an origin has no path").isFalse();
        assertThat(policy.allows(o.text() + "0")).isFalse();
    }

    @Property
    void anyPathQueryOrFragment_isRefused(@ForAll("origins") Origin o, @ForAll("suffixes") String suffix) {
        assertThat(AllowedOrigins.problem(o.text() + suffix)).contains("not an origin");
    }

    record Origin(String scheme, String host, int port) {
        String text() {
            return scheme + "://" + host + (port == 0 ? "" : ":" + port);
        }

        String withDefaultPort() {
            return port != 0 ? text() : text() + (scheme.equals("http") ? ":80" : ":443");
        }
    }

    @Provide
    Arbitrary<Origin> origins() {
        Arbitrary<String> labels = Arbitraries.strings()
                .withCharRange('a', 'z')
                .numeric()
                .ofMinLength(1)
                .ofMaxLength(12)
                .filter(l -> Character.isLetter(l.charAt(0)));
        Arbitrary<String> hosts = Arbitraries.oneOf(
                labels.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(".", l)),
                Arbitraries.of("127.0.0.1", "localhost", "[::1]"));
        Arbitrary<Integer> ports = Arbitraries.oneOf(
                Arbitraries.just(0), Arbitraries.integers().between(1, 65535).filter(p -> p != 80 && p != 443));
        return Combinators.combine(Arbitraries.of("http", "https"), hosts, ports)
                .as(Origin::new);
    }

    @Provide
    Arbitrary<String> suffixes() {
        return Arbitraries.of("/", "/app", "?a=1", "#top", "/index.html");
    }
}
