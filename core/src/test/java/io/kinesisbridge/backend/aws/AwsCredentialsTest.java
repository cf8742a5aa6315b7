package io.kinesisbridge.backend.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.kinesisbridge.put.PutRecordValidator;
import io.kinesisbridge.put.PutRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way to credentials, against loopback stubs of Kinesis and STS: who signs the Kinesis request. */
class AwsCredentialsTest {

    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private StubHttpServer kinesis;
    private StubHttpServer sts;

    @BeforeEach
    void start() throws Exception {
        kinesis = new StubHttpServer();
        kinesis.answer(r -> StubHttpServer.Response.of(
                200,
                "application/x-amz-json-1.1",
                "{\"ShardId\":\"shardId-000000000000\",\"SequenceNumber\":\"1\"}".getBytes(StandardCharsets.UTF_8)));
        sts = new StubHttpServer();
        sts.answer(r -> {
            String action = form(r, "Action");
            String body = """
                    <%1$sResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><%1$sResult><Credentials>
                    <AccessKeyId>ASIAROLEKEY</AccessKeyId><SecretAccessKey>roleSecret</SecretAccessKey>
                    <SessionToken>roleSessionToken</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
                    <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/writer/kinesis-bridge</Arn>
                    <AssumedRoleId>AROAEXAMPLE:kinesis-bridge</AssumedRoleId></AssumedRoleUser></%1$sResult>
                    <ResponseMetadata><RequestId>stub</RequestId></ResponseMetadata></%1$sResponse>""".formatted(action);
            return StubHttpServer.Response.of(200, "text/xml", body.getBytes(StandardCharsets.UTF_8));
        });
    }

    @AfterEach
    void stop() {
        kinesis.close();
        sts.close();
    }

    private static String form(StubHttpServer.Request r, String name) {
        for (String pair : new String(r.body(), StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private AwsBackendSettings settings(CredentialsSource source) {
        return AwsBackendSettings.defaults()
                .withRegion("eu-west-1")
                .withEndpoint(kinesis.uri())
                .withCbor(false)
                .withCredentials(source)
                .withStsEndpoint(sts.uri());
    }

    private StubHttpServer.Request putOne(AwsBackendSettings settings) throws Exception {
        try (AwsKinesisBackend backend = AwsKinesisBackend.create(settings)) {
            backend.putRecord(PutRecordValidator.validate(
                            PutRequest.of("s", "k", new byte[] {1}), PutRecordValidator.DEFAULT_MAX_RECORD_SIZE_BYTES))
                    .get(10, TimeUnit.SECONDS);
        }
        return kinesis.requests.get(kinesis.requests.size() - 1);
    }

    @Test
    void staticKeys_signTheRequest_withTheSessionToken() throws Exception {
        StubHttpServer.Request sent = putOne(settings(new CredentialsSource.Static(
                "AKIDSTATIC1",
                new CredentialsSource.Secret(SECRET),
                Optional.of(new CredentialsSource.Secret("staticToken")))));

        assertThat(sent.header("Authorization"))
                .contains("Credential=AKIDSTATIC1/")
                .contains("/eu-west-1/kinesis/aws4_request");
        assertThat(sent.header("X-Amz-Security-Token")).isEqualTo("staticToken");
        assertThat(sts.requests).isEmpty();
    }

    @Test
    void assumeRole_withExternalId_signsWithTheRolesSession() throws Exception {
        AwsBackendSettings settings = settings(new CredentialsSource.Static(
                        "AKIDBASE", new CredentialsSource.Secret(SECRET), Optional.empty()))
                .withAssumeRole(Optional.of(new AssumeRole(
                        "arn:aws:iam::123456789012:role/writer", Optional.of("ext-42"), "kinesis-bridge")));

        StubHttpServer.Request sent = putOne(settings);

        StubHttpServer.Request assume = sts.requests.get(0);
        assertThat(form(assume, "Action")).isEqualTo("AssumeRole");
        assertThat(form(assume, "RoleArn")).isEqualTo("arn:aws:iam::123456789012:role/writer");
        assertThat(form(assume, "ExternalId")).isEqualTo("ext-42");
        assertThat(form(assume, "RoleSessionName")).isEqualTo("kinesis-bridge");
        assertThat(assume.header("Authorization")).contains("Credential=AKIDBASE/");
        assertThat(sent.header("Authorization")).contains("Credential=ASIAROLEKEY/");
        assertThat(sent.header("X-Amz-Security-Token")).isEqualTo("roleSessionToken");
    }

    @Test
    void webIdentity_exchangesTheTokenFileForTheRolesSession(@TempDir Path dir) throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "eyJ.token.from-the-cluster");

        StubHttpServer.Request sent = putOne(settings(
                new CredentialsSource.WebIdentity(token, "arn:aws:iam::123456789012:role/writer", "kinesis-bridge")));

        StubHttpServer.Request exchange = sts.requests.get(0);
        assertThat(form(exchange, "Action")).isEqualTo("AssumeRoleWithWebIdentity");
        assertThat(form(exchange, "WebIdentityToken")).isEqualTo("eyJ.token.from-the-cluster");
        assertThat(form(exchange, "RoleArn")).isEqualTo("arn:aws:iam::123456789012:role/writer");
        assertThat(sent.header("Authorization")).contains("Credential=ASIAROLEKEY/");
    }

    @Test
    void namedProfile_isReadFromTheSharedCredentialsFile(@TempDir Path dir) throws Exception {
        Path credentials = dir.resolve("credentials");
        Files.writeString(
                credentials,
                "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = x\n"
                        + "[writer]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = " + SECRET + "\n");
        String before = System.getProperty("aws.sharedCredentialsFile");
        System.setProperty("aws.sharedCredentialsFile", credentials.toString());
        try {
            StubHttpServer.Request sent = putOne(settings(new CredentialsSource.Profile("writer")));
            assertThat(sent.header("Authorization")).contains("Credential=AKIDPROFILE/");
        } finally {
            if (before == null) {
                System.clearProperty("aws.sharedCredentialsFile");
            } else {
                System.setProperty("aws.sharedCredentialsFile", before);
            }
        }
    }

    @Test
    void descriptions_nameTheSource_neverASecret() {
        AwsBackendSettings settings = settings(new CredentialsSource.Static(
                        "AKIDSTATIC1",
                        new CredentialsSource.Secret(SECRET),
                        Optional.of(new CredentialsSource.Secret("staticToken"))))
                .withAssumeRole(Optional.of(
                        new AssumeRole("arn:aws:iam::123456789012:role/writer", Optional.of("ext-42"), "s")));
        try (AwsCredentials credentials = AwsCredentials.of(settings)) {
            assertThat(credentials.description())
                    .contains("AKID****", "role arn:aws:iam::123456789012:role/writer")
                    .doesNotContain(SECRET, "staticToken", "ext-42", "AKIDSTATIC1");
        }
        assertThat(settings.toString()).doesNotContain(SECRET, "staticToken");
    }
}
