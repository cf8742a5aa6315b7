package io.kinesisbridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kinesisbridge.put.KinesisError;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RepliesTest {

    @Test
    void wellFormed_replacesOnlyUnpairedSurrogates() {
        assertThat(Replies.wellFormed("plain")).isEqualTo("plain");
        assertThat(Replies.wellFormed("a\uD83D\uDE00b")).isEqualTo("a\uD83D\uDE00b");
        assertThat(Replies.wellFormed("a\uDD8Eb")).isEqualTo("a\uFFFDb");
        assertThat(Replies.wellFormed("a\uD83Db")).isEqualTo("a\uFFFDb");
        assertThat(Replies.wellFormed("\uD83D")).isEqualTo("\uFFFD");
        assertThat(Replies.wellFormed("\uDE00\uD83D\uDE00")).isEqualTo("\uFFFD\uD83D\uDE00");
    }

    /** A message quoting a damaged request's value (half a character) is still answered, in either encoding. */
    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void anErrorQuotingHalfACharacter_isAnswered(WireFormat format) throws IOException {
        Reply reply =
                Replies.error(format, new KinesisError(KinesisError.INVALID_ARGUMENT, "StreamName s\uDD8E is invalid"));

        ObjectMapper reader = new ObjectMapper(format.factory());
        JsonNode body = reader.readTree(reply.body());
        assertThat(body.get("message").asText()).isEqualTo("StreamName s\uFFFD is invalid");
        assertThat(reply.status()).isEqualTo(400);
    }
}
