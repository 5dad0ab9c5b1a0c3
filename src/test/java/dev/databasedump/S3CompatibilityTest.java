package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.databasedump.storage.S3ClientFactory;
import dev.databasedump.support.S3ProxyServer;
import dev.databasedump.support.StoredDump;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3CompatibilityTest {

    private final S3ProxyServer s3 = S3ProxyServer.get();

    @Test
    void should_upload_where_the_sdk_default_checksums_are_rejected() {
        String bucket = s3.createBucket();
        S3Client sdkDefaults = S3Client.builder().region(Region.US_EAST_1).endpointOverride(s3.endpoint())
                .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
                .build();
        S3Client ours = S3ClientFactory.create(s3.storage(bucket));
        PutObjectRequest put = PutObjectRequest.builder().bucket(bucket).key("probe.json").build();

        Throwable rejected = catchThrowable(() -> sdkDefaults.putObject(put, RequestBody.fromString("{}")));
        ours.putObject(put, RequestBody.fromString("{}"));

        assertThat(rejected).as("S3Proxy refuses the SDK's default CRC checksums").isInstanceOf(S3Exception.class);
        assertThat(StoredDump.text(ours, bucket, "probe.json")).isEqualTo("{}");
    }
}
