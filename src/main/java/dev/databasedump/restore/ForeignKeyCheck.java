package dev.databasedump.restore;

import dev.databasedump.database.ForeignKeyConstraints;
import dev.databasedump.database.Identifiers;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Checks, before the commit, every foreign key of the restored tables: a dump made with table filters can hold rows
 * whose parents it left out, and in replica mode PostgreSQL checks nothing as the rows arrive. A key that does not
 * hold refuses the restore, naming the constraint.
 */
final class ForeignKeyCheck {

    private ForeignKeyCheck() {
    }

    /** How many foreign keys were checked; a key that does not hold is refused. */
    static int check(Connection connection, List<TargetTable> tables) throws SQLException, RestoreRefusedException {
        List<String[]> violated = new ArrayList<>();
        int checked = 0;
        try (Statement probe = connection.createStatement()) {
            for (ForeignKeyConstraints.Constraint key : ForeignKeyConstraints.touching(connection,
                    tables.stream().map(TargetTable::oid).toList())) {
                if (tables.stream().noneMatch(t -> t.oid() == key.childOid())) {
                    continue;
                }
                checked++;
                try (ResultSet orphan = probe.executeQuery(orphans(key))) {
                    orphan.next();
                    if (orphan.getBoolean(1)) {
                        violated.add(new String[] {key.name(), key.childName(), key.parentName()});
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
    // A key declared on some partitions only is checked on their rows, against the partitions it references.
    private static String orphans(ForeignKeyConstraints.Constraint key) {
        List<String> from = key.childColumns();
        List<String> to = key.parentColumns();
        boolean full = key.matchFull();
        String present = from.stream().map(c -> "c." + Identifiers.quote(c) + " IS NOT NULL")
                .collect(Collectors.joining(" AND "));
        List<String> equal = new ArrayList<>();
        for (int i = 0; i < from.size(); i++) {
            equal.add("p." + Identifiers.quote(to.get(i)) + " = c." + Identifiers.quote(from.get(i)));
        }
        String missing = "(" + present + " AND NOT EXISTS (SELECT 1 FROM " + key.parent() + " AS p WHERE "
                + String.join(" AND ", equal) + key.parentIn("p") + "))";
        String partlyNull = full && from.size() > 1 ? " OR num_nulls(" + from.stream().map(c -> "c."
                + Identifiers.quote(c)).collect(Collectors.joining(", ")) + ") BETWEEN 1 AND " + (from.size() - 1) : "";
        return "SELECT EXISTS (SELECT 1 FROM " + key.child() + " AS c WHERE (" + missing + partlyNull + ")"
                + key.childIn("c") + ")";
    }
}
