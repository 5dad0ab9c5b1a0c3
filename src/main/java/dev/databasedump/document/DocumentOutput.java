package dev.databasedump.document;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * Where a dump document's bytes go, in document order: the text between pieces, the pieces (whose spools it then
 * owns), and last the head, which holds the metadata and is known only at the end.
 */
interface DocumentOutput extends AutoCloseable {

    /** Bytes at the start of the file that are written last (the room kept for the head); 0 when there is none. */
    long roomLength();

    /** How many bytes of the file are final so far, apart from the room: what an upload may send already. */
    long length() throws IOException;

    void text(byte[] bytes) throws IOException;

    /** A finished piece, in document order; the output deletes its spool once its bytes are written. */
    void piece(PieceSpool piece) throws IOException;

    /**
     * Writes the head and everything still to write; {@code grown} hears the file's final length as it grows. Returns
     * the file's size; from here on no byte of it changes.
     */
    long finish(byte[] head, LongConsumer grown) throws IOException;

    /**
     * Once finished: the file holding a head that outgrew its room, which then stands for the document file's first
     * {@link #roomLength} bytes; null when the head is in the document file.
     */
    default Path outgrownHead() {
        return null;
    }

    /** The finished file, its size and the SHA-256 of its bytes. */
    SealedDocument seal() throws IOException;

    /** Deletes nothing (the document's temporary files do); releases what the output holds open. */
    @Override
    void close();
}
