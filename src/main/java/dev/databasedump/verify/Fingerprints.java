package dev.databasedump.verify;

import dev.databasedump.document.Sha256;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A growable set of 64-bit fingerprints of key values (8 bytes each, whatever a key's size): added to in any order,
 * sorted once, then searched. Two different values share a fingerprint with a chance of one in 2^64 per pair.
 */
final class Fingerprints {

    private final MessageDigest digest = Sha256.newDigest();
    private long[] values = new long[1024];
    private int size;

    /** The fingerprint of {@code text}: its SHA-256's first 8 bytes. */
    long of(String text) {
        return ByteBuffer.wrap(digest.digest(text.getBytes(StandardCharsets.UTF_8))).getLong();
    }

    void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    void sort() {
        Arrays.sort(values, 0, size);
    }

    boolean contains(long value) {
        return Arrays.binarySearch(values, 0, size, value) >= 0;
    }
}
