package dev.databasedump.storage;

import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Path;

import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The bytes of one request of an upload, read from files afresh each time they are asked for, so the SDK can send them
 * again on a retry: a range of the file, or the start of a file whose first bytes another file replaces.
 *
 * @param length the bytes sent
 */
record UploadBody(long length, Opener opener) {

    @FunctionalInterface
    interface Opener {
        InputStream open();
    }

    /** Bytes {@code [offset, offset + length)} of {@code file}. */
    static UploadBody range(Path file, long offset, long length) {
        return new UploadBody(length, () -> FileRange.open(file, offset, length));
    }

    /**
     * The first {@code length} bytes of {@code file} as stored: with a replaced start, the head's bytes and then the
     * file's from where the head's room ends, up to the same place in the file as without.
     */
    static UploadBody start(Path file, long length, ReplacedStart replaced) {
        if (replaced == null) {
            return range(file, 0, length);
        }
        long rest = length - replaced.replaces();
        return new UploadBody(replaced.headLength() + rest, () -> new SequenceInputStream(
                FileRange.open(replaced.head(), 0, replaced.headLength()),
                FileRange.open(file, replaced.replaces(), rest)));
    }

    RequestBody requestBody(String contentType) {
        return RequestBody.fromContentProvider(opener::open, length, contentType);
    }
}
