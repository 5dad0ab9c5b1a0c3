package dev.databasedump.storage;

import dev.databasedump.settings.StorageSettings;

import java.time.Duration;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** The one S3 client every upload and clean-up of a dump goes through. */
public final class S3ClientFactory {

    private S3ClientFactory() {
    }

    public static S3Client create(StorageSettings settings) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .forcePathStyle(settings.pathStyle())
                // SDK 2.30+ adds CRC checksums to every request by default; several S3-compatible stores reject
                // them. Integrity is already carried by our own SHA-256, so send checksums only where S3 needs them.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * {@code client} (ours or a host's) with every request limited to {@code requestTimeout} an attempt, three
     * attempts in all: the client every route of a dump uses.
     */
    public static S3Client timeLimited(S3Client client, Duration requestTimeout) {
        return TimeLimitedS3Client.wrap(client, requestTimeout);
    }

    private static AwsCredentialsProvider credentials(StorageSettings settings) {
        if (settings.hasStaticCredentials()) {
            return StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
