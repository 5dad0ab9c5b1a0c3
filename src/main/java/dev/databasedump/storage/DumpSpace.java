package dev.databasedump.storage;

import dev.databasedump.document.StoredForm;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where one kind of dump lives under the prefix, and how its keys are named: full dumps directly under it
 * ({@code full-dump-<time>.json}), each tenant's in a folder of its own ({@code tenants/<tenant>/tenant-dump-<time>.json}).
 * The tenant id is percent-encoded, every byte but letters, digits, {@code -} and {@code _}, so any id (a UUID, text
 * with {@code /}, spaces or dots) is one path segment that no store or link rewrites. Listing, {@code latest} and
 * retention look in one space at a time, so full dumps and tenant dumps never mix.
 *
 * @param prefix the key prefix of every dump ({@code dump.s3.prefix})
 * @param tenant the tenant whose dumps these are; null for full dumps
 */
public record DumpSpace(String prefix, String tenant) {

    private static final String TIMESTAMP = "(\\d{8}T\\d{6}(?:\\.\\d{3})?Z)";
    static final String TENANTS = "tenants/";

    public static DumpSpace full(String prefix) {
        return new DumpSpace(prefix, null);
    }

    public static DumpSpace tenant(String prefix, String tenant) {
        return new DumpSpace(prefix, tenant);
    }

    public boolean isTenant() {
        return tenant != null;
    }

    /** The folder its keys are in: the prefix, or the tenant's folder under it. */
    public String folder() {
        return tenant == null ? prefix : prefix + TENANTS + encode(tenant) + "/";
    }

    /** The key of a dump of this space taken at {@code timestamp} (as {@link DumpKeys} writes it). */
    String key(String timestamp, StoredForm form) {
        return folder() + name() + timestamp + form.extension();
    }

    /**
     * The keys of this space's dumps: group 1 the timestamp, group 2 the suffix of a file beside the dump
     * ({@code .sha256}, {@code .verify.json}). Anything else under the prefix is someone else's.
     */
    public Pattern naming() {
        return Pattern.compile(Pattern.quote(folder() + name()) + TIMESTAMP + StoredForm.EXTENSIONS + BESIDE);
    }

    private static final String BESIDE = "(\\.sha256|\\.verify\\.json)?";

    /** The space a key of this application's belongs to, or empty when the key is not one of ours. */
    public static Optional<DumpSpace> of(String prefix, String key) {
        if (full(prefix).naming().matcher(key).matches()) {
            return Optional.of(full(prefix));
        }
        Matcher tenant = Pattern.compile(Pattern.quote(prefix + TENANTS) + "([A-Za-z0-9_%-]+)/tenant-dump-" + TIMESTAMP
                + StoredForm.EXTENSIONS + BESIDE).matcher(key);
        if (tenant.matches()) {
            DumpSpace space = tenant(prefix, URLDecoder.decode(tenant.group(1), StandardCharsets.UTF_8));
            // Only the one encoding of an id is ours: "a%2Db" is not the folder of tenant "a-b".
            if (space.folder().equals(prefix + TENANTS + tenant.group(1) + "/")) {
                return Optional.of(space);
            }
        }
        return Optional.empty();
    }

    private String name() {
        return tenant == null ? "full-dump-" : "tenant-dump-";
    }

    static String encode(String tenant) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : tenant.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
                out.write(c);
            } else {
                out.writeBytes(String.format("%%%02X", b & 0xff).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
