package dev.databasedump.storage;

import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * What every object of a dump is stored with, on a single PUT and on CreateMultipartUpload alike, so no upload path
 * can forget one.
 *
 * @param contentType the object's content type
 */
public record ObjectHeaders(String contentType) {

    PutObjectRequest.Builder applyTo(PutObjectRequest.Builder put) {
        return put.contentType(contentType);
    }

    CreateMultipartUploadRequest.Builder applyTo(CreateMultipartUploadRequest.Builder create) {
        return create.contentType(contentType);
    }
}
