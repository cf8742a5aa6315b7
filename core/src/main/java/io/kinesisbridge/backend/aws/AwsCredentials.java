package io.kinesisbridge.backend.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.auth.StsWebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/** Builds the credentials provider the settings describe, and owns what it opened (STS clients). */
final class AwsCredentials implements SdkAutoCloseable {

    private final AwsCredentialsProvider provider;
    private final List<SdkAutoCloseable> owned;
    private final String description;

    private AwsCredentials(AwsCredentialsProvider provider, List<SdkAutoCloseable> owned, String description) {
        this.provider = provider;
        this.owned = owned;
        this.description = description;
    }

    static AwsCredentials of(AwsBackendSettings settings) {
        List<SdkAutoCloseable> owned = new ArrayList<>();
        Optional<Region> region = settings.region().map(Region::of);
        AwsCredentialsProvider base;
        String description;
        CredentialsSource source = settings.credentials();
        if (source instanceof CredentialsSource.Profile p) {
            ProfileCredentialsProvider profile =
                    ProfileCredentialsProvider.builder().profileName(p.name()).build();
            owned.add(profile);
            base = profile;
            description = "profile " + p.name();
        } else if (source instanceof CredentialsSource.Static s) {
            base = StaticCredentialsProvider.create(s.sessionToken()
                    .<software.amazon.awssdk.auth.credentials.AwsCredentials>map(token -> AwsSessionCredentials.create(
                            s.accessKeyId(), s.secretAccessKey().value(), token.value()))
                    .orElseGet(() -> AwsBasicCredentials.create(
                            s.accessKeyId(), s.secretAccessKey().value())));
            description = "static keys (access key id " + masked(s.accessKeyId()) + ")";
        } else if (source instanceof CredentialsSource.WebIdentity w) {
            StsClient sts =
                    sts(settings, region, owned); // AssumeRoleWithWebIdentity is unsigned: no credentials needed
            StsWebIdentityTokenFileCredentialsProvider web = StsWebIdentityTokenFileCredentialsProvider.builder()
                    .stsClient(sts)
                    .roleArn(w.roleArn())
                    .roleSessionName(w.sessionName())
                    .webIdentityTokenFile(w.tokenFile())
                    .asyncCredentialUpdateEnabled(true)
                    .build();
            owned.add(web);
            base = web;
            description = "web identity token " + w.tokenFile() + " for role " + w.roleArn();
        } else {
            DefaultCredentialsProvider chain =
                    DefaultCredentialsProvider.builder().build();
            owned.add(chain);
            base = chain;
            description = "the default credentials chain";
        }
        if (settings.assumeRole().isPresent()) {
            AssumeRole role = settings.assumeRole().get();
            StsClientBuilder builder = StsClient.builder()
                    .httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(base);
            region.ifPresent(builder::region);
            settings.stsEndpointOverride().ifPresent(builder::endpointOverride);
            StsClient sts = builder.build();
            owned.add(sts);
            StsAssumeRoleCredentialsProvider assume = StsAssumeRoleCredentialsProvider.builder()
                    .stsClient(sts)
                    .asyncCredentialUpdateEnabled(true)
                    .refreshRequest(r -> {
                        r.roleArn(role.roleArn()).roleSessionName(role.sessionName());
                        role.externalId().ifPresent(r::externalId);
                    })
                    .build();
            owned.add(assume);
            return new AwsCredentials(
                    assume,
                    owned,
                    "role " + role.roleArn()
                            + role.externalId()
                                    .map(x -> " (with an external id)")
                                    .orElse("") + " assumed with " + description);
        }
        return new AwsCredentials(base, owned, description);
    }

    private static StsClient sts(AwsBackendSettings settings, Optional<Region> region, List<SdkAutoCloseable> owned) {
        StsClientBuilder builder = StsClient.builder().httpClient(UrlConnectionHttpClient.create());
        region.ifPresent(builder::region);
        settings.stsEndpointOverride().ifPresent(builder::endpointOverride);
        StsClient sts = builder.build();
        owned.add(sts);
        return sts;
    }

    /** The first four characters of an access key id: enough to tell keys apart in a log, not to use them. */
    static String masked(String accessKeyId) {
        return accessKeyId.length() <= 4 ? "****" : accessKeyId.substring(0, 4) + "****";
    }

    AwsCredentialsProvider provider() {
        return provider;
    }

    /** Which credentials, in words fit for a log: never a secret. */
    String description() {
        return description;
    }

    @Override
    public void close() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).close();
        }
    }
}
