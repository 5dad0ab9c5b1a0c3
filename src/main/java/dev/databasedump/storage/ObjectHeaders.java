package dev.databasedump.storage;

import dev.databasedump.settings.EncryptionSettings;

import java.util.Optional;

import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * What every object of a dump is stored with, on a single PUT and on CreateMultipartUpload alike, so no upload path
 * can forget one.
 *
 * @param contentType          the object's content type
 * @param serverSideEncryption {@code AES256} or {@code aws:kms}, asked of the store ({@code x-amz-server-side-encryption})
 * @param kmsKeyId             the KMS key for {@code aws:kms}
 */
public record ObjectHeaders(String contentType, Optional<String> serverSideEncryption, Optional<String> kmsKeyId) {

    public static ObjectHeaders of(String contentType, EncryptionSettings encryption) {
        return new ObjectHeaders(contentType, encryption.serverSideEncryption(), encryption.kmsKeyId());
    }

    PutObjectRequest.Builder applyTo(PutObjectRequest.Builder put) {
        put.contentType(contentType);
        serverSideEncryption.ifPresent(put::serverSideEncryption);
        kmsKeyId.ifPresent(put::ssekmsKeyId);
        return put;
    }

    CreateMultipartUploadRequest.Builder applyTo(CreateMultipartUploadRequest.Builder create) {
        create.contentType(contentType);
        serverSideEncryption.ifPresent(create::serverSideEncryption);
        kmsKeyId.ifPresent(create::ssekmsKeyId);
        return create;
    }
}
