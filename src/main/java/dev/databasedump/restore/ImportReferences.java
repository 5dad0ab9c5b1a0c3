package dev.databasedump.restore;

import dev.databasedump.database.ColumnSql;
import dev.databasedump.database.ForeignKeyConstraints;
import dev.databasedump.database.Identifiers;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The foreign keys a tenant import can have broken, checked only where it can have broken them, so the work follows
 * the tenant and not the size of the tables: every reference of a row it inserted must find its parent, and no row may
 * be left referencing a row it deleted and did not put back (a row of another tenant's, or of a table the import does
 * not restore, that named one of the tenant's rows). In replica mode PostgreSQL checks neither.
 */
final class ImportReferences {

    private final Connection connection;
    private final List<TargetTable> tables;
    private final Map<TargetTable, String> inserted;
    private final Map<TargetTable, String> gone;

    /**
     * @param inserted each restored table's inserted rows, as they were planned
     * @param gone     each table's deleted rows, as they were
     */
    ImportReferences(Connection connection, List<TargetTable> tables, Map<TargetTable, String> inserted,
            Map<TargetTable, String> gone) {
        this.connection = connection;
        this.tables = tables;
        this.inserted = inserted;
        this.gone = gone;
    }

    /** How many foreign keys were checked; refuses the first that does not hold. */
    int check() throws SQLException, RestoreRefusedException {
        int checked = 0;
        try (Statement probe = connection.createStatement()) {
            for (ForeignKeyConstraints.Constraint key : ForeignKeyConstraints.touching(connection,
                    tables.stream().map(TargetTable::oid).toList())) {
                List<String> from = key.childColumns();
                List<String> to = key.parentColumns();
                Optional<TargetTable> childTable = table(key.childOid());
                Optional<TargetTable> parentTable = table(key.parentOid());
                checked++;
                if (childTable.isPresent() && inserted.containsKey(childTable.get()) && broken(probe,
                        "SELECT EXISTS (SELECT 1 FROM " + inserted.get(childTable.get()) + " AS c WHERE "
                        + notNull(from, "c") + key.childIn("c")
                        + " AND NOT EXISTS (SELECT 1 FROM " + key.parent() + " AS p WHERE " + ColumnSql.equal(to, "p", from, "c")
                        + key.parentIn("p") + "))")) {
                    throw refusal(key, "rows the import inserted reference");
                }
                if (parentTable.isPresent() && gone.containsKey(parentTable.get()) && broken(probe,
                        "SELECT EXISTS (SELECT 1 FROM " + gone.get(parentTable.get()) + " AS g WHERE true"
                        + key.parentIn("g") + " AND NOT EXISTS"
                        + " (SELECT 1 FROM " + key.parent() + " AS p WHERE " + ColumnSql.equal(to, "p", to, "g") + ") AND EXISTS"
                        + " (SELECT 1 FROM " + key.child() + " AS c WHERE " + ColumnSql.equal(from, "c", to, "g")
                        + key.childIn("c") + "))")) {
                    throw refusal(key, "rows still reference the tenant's deleted rows of");
                }
            }
        }
        return checked;
    }

    private Optional<TargetTable> table(long oid) {
        return tables.stream().filter(table -> table.oid() == oid).findFirst();
    }

    private static boolean broken(Statement probe, String query) throws SQLException {
        try (ResultSet rs = probe.executeQuery(query)) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static RestoreRefusedException refusal(ForeignKeyConstraints.Constraint key, String what) {
        return new RestoreRefusedException("foreign key " + key.name() + " of " + key.childName() + " does not hold: "
                + what + " " + key.parentName() + " that are not there");
    }

    private static String notNull(List<String> columns, String alias) {
        return columns.stream().map(c -> alias + "." + Identifiers.quote(c) + " IS NOT NULL")
                .collect(Collectors.joining(" AND "));
    }
}
