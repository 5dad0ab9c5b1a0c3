package dev.databasedump.verify;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.document.ScopeMetadata.CrossReference;
import dev.databasedump.document.ScopeMetadata.Reference;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The references a tenant dump made with {@code dump.tenant.cross-references=report} declares as dangling: rows of the
 * tenant's that name another tenant's row, which the dump exported without the row they name. Verify counts them apart:
 * they are what the dump says they are, not damage. The metadata lists the first 1,000 and counts them all; past the
 * list, as many more as the count says are taken as declared.
 */
final class DeclaredDangling {

    private final Fingerprints listed = new Fingerprints();
    private final Set<Long> fingerprints = new HashSet<>();
    private final long unlisted;
    private long unlistedSeen;
    private long found;

    /**
     * @param keys  the foreign keys verify checks, in its order
     * @param kinds per table, how each column's values compare
     */
    DeclaredDangling(List<Reference> keys, List<CrossReference> declared, Long total,
            Map<String, Map<String, KeyText.Kind>> kinds) throws IOException {
        List<CrossReference> references = declared == null ? List.of() : declared;
        for (CrossReference reference : references) {
            for (int key = 0; key < keys.size(); key++) {
                Reference checked = keys.get(key);
                if (checked.name().equals(reference.foreignKey()) && checked.table().equals(reference.table())) {
                    String tuple = tuple(reference.value(), checked.columns(), kinds.getOrDefault(checked.table(),
                            Map.of()));
                    if (tuple != null) {
                        fingerprints.add(pair(key, listed.of(tuple)));
                    }
                }
            }
        }
        this.unlisted = total == null ? 0 : Math.max(0, total - references.size());
    }

    /**
     * Whether an unresolved reference through key {@code key}, whose value has {@code fingerprint} (of its tuple, as
     * {@link ReferenceCheck} makes it), is one the metadata declares.
     */
    boolean declares(int key, long fingerprint) {
        if (fingerprints.contains(pair(key, fingerprint)) || unlistedSeen++ < unlisted) {
            found++;
            return true;
        }
        return false;
    }

    /** Unresolved references found that the metadata declares. */
    long found() {
        return found;
    }

    private static long pair(int key, long fingerprint) {
        return fingerprint * 31 + key;
    }

    private static String tuple(JsonNode value, List<String> columns, Map<String, KeyText.Kind> kinds)
            throws IOException {
        StringBuilder tuple = new StringBuilder();
        for (String column : columns) {
            JsonNode field = value == null ? null : value.get(column);
            if (field == null) {
                return null;
            }
            try (JsonParser parser = field.traverse()) {
                parser.nextToken();
                String text = KeyText.read(parser, kinds.getOrDefault(column, KeyText.Kind.EXACT));
                if (text == null) {
                    return null;
                }
                tuple.append(text).append('\u0000');
            }
        }
        return tuple.toString();
    }
}
