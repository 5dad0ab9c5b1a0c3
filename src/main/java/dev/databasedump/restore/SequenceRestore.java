package dev.databasedump.restore;

import dev.databasedump.database.Identifiers;
import dev.databasedump.document.DumpMetadata;
import dev.databasedump.document.TableKeys;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the sequences where the dump found them, so new rows continue past the restored ones: every sequence the dump
 * recorded that a restored table owns (serial and identity columns), and the free-standing ones when every table of
 * the dump is restored. A dump without recorded sequences (format 1) instead has each owned sequence of a restored
 * table set to its column's largest value.
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

    private SequenceRestore() {
    }

    /** How many sequences were set. */
    static int restore(Connection connection, DumpMetadata metadata, List<TargetTable> tables, boolean everyTable)
            throws SQLException {
        if (metadata.sequences() == null) {
            return pastRestoredRows(connection, tables);
        }
        TableKeys keys = new TableKeys(metadata.schemas());
        int set = 0;
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
                    set++;
                }
            }
        }
        return set;
    }

    private static int pastRestoredRows(Connection connection, List<TargetTable> tables) throws SQLException {
        int set = 0;
        try (PreparedStatement owned = connection.prepareStatement(OWNED); Statement statement = connection.createStatement()) {
            for (TargetTable table : tables) {
                owned.setLong(1, table.oid());
                try (ResultSet rs = owned.executeQuery()) {
                    while (rs.next()) {
                        try (ResultSet max = statement.executeQuery("SELECT setval(" + rs.getLong(1)
                                + "::oid::regclass, max(" + Identifiers.quote(rs.getString(2)) + ")) FROM "
                                + table.qualified() + " HAVING max(" + Identifiers.quote(rs.getString(2))
                                + ") IS NOT NULL")) {
                            set += max.next() ? 1 : 0;
                        }
                    }
                }
            }
        }
        return set;
    }
}
