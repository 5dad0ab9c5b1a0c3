package dev.databasedump.scope;

import dev.databasedump.database.DumpTable;
import dev.databasedump.database.Identifiers;
import dev.databasedump.database.PartitionSubset;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A foreign key between two tables of a dump: {@code childColumns} of {@code child} reference {@code parentColumns}
 * (its primary key or another unique key) of {@code parent}, in order. A self-reference has the same table at both ends.
 * A key declared on some partitions of a partitioned table only holds for their rows: {@code childRows} and
 * {@code parentRows} say which (null: every row).
 */
public record ForeignKey(String name, DumpTable child, List<String> childColumns, DumpTable parent,
        List<String> parentColumns, PartitionSubset childRows, PartitionSubset parentRows) {

    /** A key between whole tables. */
    public ForeignKey(String name, DumpTable child, List<String> childColumns, DumpTable parent,
            List<String> parentColumns) {
        this(name, child, childColumns, parent, parentColumns, null, null);
    }

    public ForeignKey {
        childColumns = List.copyOf(childColumns);
        parentColumns = List.copyOf(parentColumns);
    }

    /** The child's columns on {@code alias}, as a row value where there are several: {@code (a.x, a.y)}. */
    String childRow(String alias) {
        return row(alias, childColumns);
    }

    /** The parent's referenced columns on {@code alias}, as a row value where there are several. */
    String parentRow(String alias) {
        return row(alias, parentColumns);
    }

    /** " AND …" keeping the child's rows on {@code alias} the key holds for; empty when it holds for all. */
    String childIn(String alias) {
        return childRows == null ? "" : " AND " + childRows.holds(alias);
    }

    /** " AND …" keeping the parent's rows on {@code alias} the key may reference; empty for all of them. */
    String parentIn(String alias) {
        return parentRows == null ? "" : " AND " + parentRows.holds(alias);
    }

    /** Whether the key holds for every row of both tables, so that a reader of the document alone can check it. */
    boolean wholeTables() {
        return childRows == null && parentRows == null;
    }

    /** The child's columns on {@code alias}, as a select list: {@code a.x, a.y}. */
    String childList(String alias) {
        return list(alias, childColumns);
    }

    /** The parent's referenced columns on {@code alias}, as a select list. */
    String parentList(String alias) {
        return list(alias, parentColumns);
    }

    private static String row(String alias, List<String> columns) {
        return columns.size() == 1 ? list(alias, columns) : "(" + list(alias, columns) + ")";
    }

    private static String list(String alias, List<String> columns) {
        return columns.stream().map(c -> alias + "." + Identifiers.quote(c)).collect(Collectors.joining(", "));
    }
}
