package dev.databasedump.restore;

import dev.databasedump.database.Identifiers;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Checks, before the commit, every foreign key of the restored tables: a dump made with table filters can hold rows
 * whose parents it left out, and in replica mode PostgreSQL checks nothing as the rows arrive. A key that does not
 * hold refuses the restore, naming the constraint.
 */
final class ForeignKeyCheck {

    private static final String FOREIGN_KEYS = """
            SELECT c.conname, c.conrelid, c.confmatchtype, pn.nspname, p.relname,
                   (SELECT array_agg(a.attname::text ORDER BY k.ord)
                      FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum),
                   (SELECT array_agg(a.attname::text ORDER BY k.ord)
                      FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum)
              FROM pg_constraint c
              JOIN pg_class p ON p.oid = c.confrelid
              JOIN pg_namespace pn ON pn.oid = p.relnamespace
             WHERE c.contype = 'f' AND c.conrelid = ANY (?) AND c.conparentid = 0
             ORDER BY c.conrelid, c.conname
            """;

    private ForeignKeyCheck() {
    }

    /** How many foreign keys were checked; a key that does not hold is refused. */
    static int check(Connection connection, List<TargetTable> tables) throws SQLException, RestoreRefusedException {
        Array oids = connection.createArrayOf("oid", tables.stream().map(TargetTable::oid).toArray());
        List<String[]> violated = new ArrayList<>();
        int checked = 0;
        try (PreparedStatement keys = connection.prepareStatement(FOREIGN_KEYS)) {
            keys.setArray(1, oids);
            try (ResultSet rs = keys.executeQuery(); Statement probe = connection.createStatement()) {
                while (rs.next()) {
                    long childOid = rs.getLong(2);
                    TargetTable child = tables.stream().filter(t -> t.oid() == childOid).findFirst().orElseThrow();
                    String parent = Identifiers.quote(rs.getString(4)) + "." + Identifiers.quote(rs.getString(5));
                    List<String> from = Arrays.asList((String[]) rs.getArray(6).getArray());
                    List<String> to = Arrays.asList((String[]) rs.getArray(7).getArray());
                    checked++;
                    try (ResultSet orphan = probe.executeQuery(orphans(child.qualified(), parent, from, to,
                            "f".equals(rs.getString(3))))) {
                        orphan.next();
                        if (orphan.getBoolean(1)) {
                            violated.add(new String[] {rs.getString(1), child.displayName(),
                                    rs.getString(4) + "." + rs.getString(5)});
                        }
                    }
                }
            }
        }
        if (!violated.isEmpty()) {
            String[] first = violated.get(0);
            throw new RestoreRefusedException("foreign key " + first[0] + " of " + first[1] + " does not hold: rows"
                    + " reference rows of " + first[2] + " that are not there (a dump made with table filters can"
                    + " hold such rows)" + (violated.size() > 1 ? "; " + (violated.size() - 1) + " more: "
                    + violated.stream().skip(1).map(v -> v[0]).collect(Collectors.joining(", ")) : ""));
        }
        return checked;
    }

    // MATCH SIMPLE: a row with any key column null references nothing. MATCH FULL: all or none may be null.
    private static String orphans(String child, String parent, List<String> from, List<String> to, boolean full) {
        String present = from.stream().map(c -> "c." + Identifiers.quote(c) + " IS NOT NULL")
                .collect(Collectors.joining(" AND "));
        List<String> equal = new ArrayList<>();
        for (int i = 0; i < from.size(); i++) {
            equal.add("p." + Identifiers.quote(to.get(i)) + " = c." + Identifiers.quote(from.get(i)));
        }
        String missing = "(" + present + " AND NOT EXISTS (SELECT 1 FROM " + parent + " AS p WHERE "
                + String.join(" AND ", equal) + "))";
        String partlyNull = full && from.size() > 1 ? " OR num_nulls(" + from.stream().map(c -> "c."
                + Identifiers.quote(c)).collect(Collectors.joining(", ")) + ") BETWEEN 1 AND " + (from.size() - 1) : "";
        return "SELECT EXISTS (SELECT 1 FROM " + child + " AS c WHERE " + missing + partlyNull + ")";
    }
}
