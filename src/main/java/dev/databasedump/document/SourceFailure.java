package dev.databasedump.document;

import java.io.IOException;

/**
 * Reading the stored bytes themselves failed (the store's connection broke, say): not a problem of the document, so
 * a reader passes it on as it is instead of reporting the document as corrupt.
 */
public class SourceFailure extends IOException {

    public SourceFailure(IOException cause) {
        super(cause.getMessage(), cause);
    }
}
