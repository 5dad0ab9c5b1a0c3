package dev.databasedump.storage;

import java.nio.file.Path;

/**
 * A file to store whose first {@code replaces} bytes stand for all of another, smaller file's: a dump whose head
 * outgrew the room kept for it at the start of the document file (see {@code RoomFirstOutput}). Only the request that
 * carries the start of the object (the first part, or a single PUT) is sent from the two files.
 *
 * @param head       the file whose bytes come first
 * @param headLength its length
 * @param replaces   the bytes at the start of the stored file it stands for
 */
public record ReplacedStart(Path head, long headLength, long replaces) {
}
