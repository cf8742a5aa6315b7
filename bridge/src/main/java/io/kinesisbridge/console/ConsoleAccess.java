package io.kinesisbridge.console;

import io.kinesisbridge.source.http.BearerToken;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who may use the console when the bridge has a bearer token: a request with {@code Authorization: Bearer <token>},
 * or a browser holding a session cookie, which it got once by giving the token (in the query or the login form).
 * The cookie carries a random session id, never the token; sessions live in memory, the latest {@link #MAX_SESSIONS}.
 */
final class ConsoleAccess {

    static final String COOKIE = "kinesis_bridge_console";
    static final int MAX_SESSIONS = 64;

    private final Optional<BearerToken> token;
    private final SecureRandom random = new SecureRandom();
    /** Session ids, oldest first; the eldest goes when there are more than {@link #MAX_SESSIONS}. */
    private final Map<String, Boolean> sessions = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_SESSIONS;
        }
    };

    ConsoleAccess(Optional<BearerToken> token) {
        this.token = token;
    }

    boolean required() {
        return token.isPresent();
    }

    boolean admits(HttpServerRequest request) {
        if (token.isEmpty() || token.get().admits(request.getHeader(HttpHeaders.AUTHORIZATION))) {
            return true;
        }
        Cookie cookie = request.getCookie(COOKIE);
        if (cookie == null) {
            return false;
        }
        synchronized (sessions) {
            return sessions.get(cookie.getValue()) != null;
        }
    }

    /** A new session's cookie when {@code candidate} is the token; empty otherwise. */
    Optional<Cookie> login(String candidate) {
        if (token.isEmpty() || candidate == null || !token.get().admits("Bearer " + candidate)) {
            return Optional.empty();
        }
        byte[] id = new byte[32];
        random.nextBytes(id);
        String session = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        synchronized (sessions) {
            sessions.put(session, Boolean.TRUE);
        }
        return Optional.of(Cookie.cookie(COOKIE, session)
                .setPath("/console")
                .setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT));
    }
}
