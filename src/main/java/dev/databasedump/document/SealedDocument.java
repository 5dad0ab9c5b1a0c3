package dev.databasedump.document;

import java.nio.file.Path;

/**
 * The finished document, ready to upload.
 *
 * @param file      temporary file holding exactly the bytes to store
 * @param sizeBytes its size
 * @param sha256    lowercase hex SHA-256 of those bytes
 */
public record SealedDocument(Path file, long sizeBytes, String sha256) {
}
