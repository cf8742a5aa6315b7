package io.kinesisbridge.source.http;

import io.kinesisbridge.app.BridgeSettings;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** bridge.http.cors.allowed-origins: what it takes, what it refuses and why, and how a request's Origin is matched. */
class CorsPolicyProperties {

    @Test
    void emptyValue_isOff_andAnOffPolicyAllowsNothing() {
        assertThat(CorsPolicy.of("", 600).enabled()).isFalse();
        assertThat(CorsPolicy.of(" , ", 600)).isEqualTo(CorsPolicy.OFF);
        assertThat(CorsPolicy.OFF.allows("http://localhost:3000")).isFalse();
    }

    @Test
    void star_allowsEveryOrigin_andAnswersStar() {
        CorsPolicy any = CorsPolicy.of("*", 600);
        assertThat(any.anyOrigin()).isTrue();
        assertThat(any.allows("https://anything.example")).isTrue();
        assertThat(any.allowOriginValue("https://anything.example")).isEqualTo("*");
    }

    @Test
    void aList_allowsItsOrigins_only_andEchoesTheOrigin() {
        CorsPolicy list = CorsPolicy.of("http://localhost:3000, https://shop.example", 600);
        assertThat(list.allows("http://localhost:3000")).isTrue();
        assertThat(list.allows("https://shop.example")).isTrue();
        assertThat(list.allowOriginValue("https://shop.example")).isEqualTo("https://shop.example");
        assertThat(list.allows("http://localhost:3001")).isFalse();
        assertThat(list.allows("http://shop.example")).as("another scheme is another origin").isFalse();
        assertThat(list.allows("https://evil.shop.example")).isFalse();
        assertThat(list.allows("https://shop.example.evil")).isFalse();
        assertThat(list.allows("null")).isFalse();
        assertThat(list.allows("")).isFalse();
    }

    @Test
    void valuesThatAreNotOrigins_areRefused_withTheEntryAndTheRule() {
        assertThat(CorsPolicy.problem("http://localhost:3000/")).contains("`http://localhost:3000/`", "without a path or a trailing /");
        assertThat(CorsPolicy.problem("https://shop.example/app")).contains("`https://shop.example/app`", "not an origin");
        assertThat(CorsPolicy.problem("localhost:3000")).contains("not an origin");
        assertThat(CorsPolicy.problem("https://*.example.com")).contains("not an origin");
        assertThat(CorsPolicy.problem("https://user@shop.example")).contains("not an origin");
        assertThat(CorsPolicy.problem("null")).contains("`null`", "any page can");
        assertThat(CorsPolicy.problem("*, http://localhost:3000")).contains("one or the other");
        assertThat(CorsPolicy.problem("http://localhost:3000,https://shop.example")).isNull();
    }

    @Test
    void aMalformedValue_stopsTheStart_namingTheSetting() {
        assertThatThrownBy(() -> BridgeSettings.load(Optional.empty(), Map.of(),
                Map.of("bridge.http.cors.allowed-origins", "http://localhost:3000/")))
                .hasMessageContaining("bridge.http.cors.allowed-origins").hasMessageContaining("not an origin");
        assertThatThrownBy(() -> CorsPolicy.of("null", 600)).hasMessageStartingWith("bridge.http.cors.allowed-origins");
    }

    @Property
    void anOrigin_matchesItself_inAnyCase_andWithItsDefaultPortWrittenOut(@ForAll("origins") Origin o) {
        CorsPolicy policy = CorsPolicy.of(o.text(), 600);
        assertThat(policy.allows(o.text())).isTrue();
        assertThat(policy.allows(o.text().toUpperCase(Locale.ROOT))).isTrue();
        assertThat(policy.allows(o.withDefaultPort())).isTrue();
        assertThat(policy.allows(o.text() + "/")).as("an origin has no path").isFalse();
        assertThat(policy.allows(o.text() + "0")).isFalse();
    }

    @Property
    void anyPathQueryOrFragment_isRefused(@ForAll("origins") Origin o, @ForAll("suffixes") String suffix) {
        assertThat(CorsPolicy.problem(o.text() + suffix)).contains("not an origin");
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
        Arbitrary<String> labels = Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(12)
                .filter(l -> Character.isLetter(l.charAt(0)));
        Arbitrary<String> hosts = Arbitraries.oneOf(labels.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(".", l)),
                Arbitraries.of("127.0.0.1", "localhost", "[::1]"));
        Arbitrary<Integer> ports = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(1, 65535)
                .filter(p -> p != 80 && p != 443));
        return Combinators.combine(Arbitraries.of("http", "https"), hosts, ports).as(Origin::new);
    }

    @Provide
    Arbitrary<String> suffixes() {
        return Arbitraries.of("/", "/app", "?a=1", "#top", "/index.html");
    }
}
