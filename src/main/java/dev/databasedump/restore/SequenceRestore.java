package dev.databasedump.restore;

import dev.databasedump.database.Identifiers;
import dev.databasedump.document.DumpMetadata;
import dev.databasedump.document.TableKeys;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the sequences where the dump found them, so new rows continue past the restored ones: every sequence the dump
 * recorded that a restored table owns (serial and identity columns), and the free-standing ones when every table of
 * the dump is restored. An owned sequence of a restored table that the dump did not record (a format-1 dump records
 * none; a role without rights on sequences reads none) is moved past its column's largest restored value instead,
 * never back: the application's next insert must not collide with a restored row.
 */
final class SequenceRestore {

    private static final Logger LOG = LoggerFactory.getLogger(SequenceRestore.class);

    private static final String RECORDED = """
            SELECT c.oid, d.refobjid FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
              LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
                   AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
             WHERE n.nspname = ? AND c.relname = ? AND c.relkind = 'S'
            """;
    private static final String OWNED = """
            SELECT d.objid, a.attname FROM pg_depend d
              JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
              JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
             WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
               AND d.deptype IN ('a', 'i') AND d.refobjid = ?
            """;
    // The value the sequence would hand out next is its last value plus its increment once called, else its start.
    private static final String PAST_ROWS = """
            SELECT setval(s.seqrelid::regclass, m.v) FROM (SELECT max(%2$s)::bigint AS v FROM %1$s) m, pg_sequence s
             WHERE s.seqrelid = ? AND s.seqincrement > 0 AND m.v IS NOT NULL
               AND m.v >= coalesce(pg_sequence_last_value(s.seqrelid) + s.seqincrement, s.seqstart)
            """;

    private SequenceRestore() {
    }

    /** How many sequences were set. */
    static int restore(Connection connection, DumpMetadata metadata, List<TargetTable> tables, boolean everyTable)
            throws SQLException {
        Set<Long> recorded = metadata.sequences() == null ? Set.of() : setRecorded(connection, metadata, tables,
                everyTable);
        return recorded.size() + pastRestoredRows(connection, tables, recorded);
    }

    // The sequences set where the dump found them, by oid.
    private static Set<Long> setRecorded(Connection connection, DumpMetadata metadata, List<TargetTable> tables,
            boolean everyTable) throws SQLException {
        TableKeys keys = new TableKeys(metadata.schemas());
        Set<Long> set = new HashSet<>();
        try (PreparedStatement find = connection.prepareStatement(RECORDED);
             PreparedStatement setval = connection.prepareStatement("SELECT setval(?::oid::regclass, ?, ?)")) {
            for (Map.Entry<String, DumpMetadata.Sequence> recorded : metadata.sequences().entrySet()) {
                TableKeys.Name name = keys.parse(recorded.getKey());
                find.setString(1, name.schema());
                find.setString(2, name.name());
                try (ResultSet rs = find.executeQuery()) {
                    if (!rs.next()) {
                        LOG.warn("Sequence {}.{} of the dump is not in the target; it was left out", name.schema(),
                                name.name());
                        continue;
                    }
                    long owner = rs.getLong(2);
                    boolean owned = !rs.wasNull();
                    if (owned ? tables.stream().noneMatch(t -> t.oid() == owner) : !everyTable) {
                        continue;
                    }
                    setval.setLong(1, rs.getLong(1));
                    setval.setLong(2, recorded.getValue().lastValue());
                    setval.setBoolean(3, recorded.getValue().isCalled());
                    setval.execute();
                    set.add(rs.getLong(1));
                }
            }
        }
        return set;
    }

    /**
     * Every owned sequence of a restored table: past its column's largest value, never back. What a tenant import
     * sets, whose target's sequences move on with every other tenant's rows.
     */
    static int pastRestoredRows(Connection connection, List<TargetTable> tables) throws SQLException {
        return pastRestoredRows(connection, tables, Set.of());
    }

    // Every owned sequence of a restored table not in {@code recorded}: past its column's largest value, never back.
    private static int pastRestoredRows(Connection connection, List<TargetTable> tables, Set<Long> recorded)
            throws SQLException {
        int set = 0;
        try (PreparedStatement owned = connection.prepareStatement(OWNED)) {
            for (TargetTable table : tables) {
                owned.setLong(1, table.oid());
                try (ResultSet rs = owned.executeQuery()) {
                    while (rs.next()) {
                        long sequence = rs.getLong(1);
                        if (recorded.contains(sequence)) {
                            continue;
                        }
                        try (PreparedStatement past = connection.prepareStatement(PAST_ROWS.formatted(
                                table.qualified(), Identifiers.quote(rs.getString(2))))) {
                            past.setLong(1, sequence);
                            try (ResultSet moved = past.executeQuery()) {
                                set += moved.next() ? 1 : 0;
                            }
                        }
                    }
                }
            }
        }
        return set;
    }
}
