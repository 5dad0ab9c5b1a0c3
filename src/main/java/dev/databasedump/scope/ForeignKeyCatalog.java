package dev.databasedump.scope;

import dev.databasedump.database.DumpTable;
import dev.databasedump.database.ForeignKeyConstraints;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The foreign keys between the tables of a dump, read inside its snapshot; a key declared on partitions is the
 * partitioned table's. Keys to tables the dump leaves out (another schema, a filter) are not among them: nothing of
 * those tables can be in the document.
 */
public final class ForeignKeyCatalog {

    private ForeignKeyCatalog() {
    }

    public static List<ForeignKey> among(Connection connection, List<DumpTable> tables) throws SQLException {
        Map<Long, DumpTable> byOid = tables.stream().collect(Collectors.toMap(DumpTable::oid, Function.identity()));
        return ForeignKeyConstraints.touching(connection, byOid.keySet()).stream()
                .filter(key -> byOid.containsKey(key.childOid()) && byOid.containsKey(key.parentOid()))
                .map(key -> new ForeignKey(key.name(), byOid.get(key.childOid()), key.childColumns(),
                        byOid.get(key.parentOid()), key.parentColumns(), key.childRows(), key.parentRows()))
                .toList();
    }
}
