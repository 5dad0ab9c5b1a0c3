package dev.databasedump.database;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads where every sequence of the dump's schemas stands, in one query. Sequences are not transactional: the values
 * are those at the moment of reading, just after the snapshot was taken, so never lower than any value the dumped
 * rows hold. A sequence the role may not read (a read-only grant on the tables only) is named apart: its position is
 * not in the dump, and a restore sets it past the restored rows instead.
 */
public final class SequenceCatalog {

    // The privilege check raises on anything but a sequence, so it runs on the sequences only (OFFSET 0 keeps
    // PostgreSQL from moving it into the inner query's conditions).
    private static final String SEQUENCES = """
            SELECT nspname, relname, readable,
                   CASE WHEN readable THEN pg_sequence_last_value(oid) END, seqstart
              FROM (SELECT n.nspname, c.relname, c.oid, s.seqstart,
                           has_sequence_privilege(c.oid, 'SELECT,USAGE') AS readable
                      FROM pg_class c
                      JOIN pg_namespace n ON n.oid = c.relnamespace
                      JOIN pg_sequence s ON s.seqrelid = c.oid
                     WHERE c.relkind = 'S' AND n.nspname = ANY (?)
                    OFFSET 0) sequences
             ORDER BY array_position(?, nspname::text), relname
            """;

    private SequenceCatalog() {
    }

    /**
     * The sequences of the schemas, in schema and name order.
     *
     * @param read       where each sequence the role may read stood
     * @param unreadable those it may not read, as {@code schema.name}
     */
    public record Sequences(List<SequenceState> read, List<SequenceState.Name> unreadable) {

        public Sequences {
            read = List.copyOf(read);
            unreadable = List.copyOf(unreadable);
        }
    }

    public static Sequences read(Connection connection, List<String> schemas) throws SQLException {
        Array schemaArray = connection.createArrayOf("text", schemas.toArray());
        try (PreparedStatement statement = connection.prepareStatement(SEQUENCES)) {
            statement.setArray(1, schemaArray);
            statement.setArray(2, schemaArray);
            List<SequenceState> sequences = new ArrayList<>();
            List<SequenceState.Name> unreadable = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getBoolean(3)) {
                        unreadable.add(new SequenceState.Name(rs.getString(1), rs.getString(2)));
                        continue;
                    }
                    long lastValue = rs.getLong(4);
                    // NULL: nextval has never been called, so the next value is the start.
                    boolean called = !rs.wasNull();
                    sequences.add(new SequenceState(rs.getString(1), rs.getString(2),
                            called ? lastValue : rs.getLong(5), called));
                }
            }
            return new Sequences(sequences, unreadable);
        }
    }
}
