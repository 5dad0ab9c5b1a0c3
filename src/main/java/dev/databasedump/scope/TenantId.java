package dev.databasedump.scope;

import dev.databasedump.database.DumpTable;
import dev.databasedump.database.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tenant id as the database reads it. An id arrives as text (a setting, a query parameter, a token's claim made
 * text); each column that names tenants reads it with its own type, which may refuse it ({@code abc} for a bigint) or
 * write it differently ({@code 01} is the bigint {@code 1}, an upper-case UUID reads as the lower-case one). Asked
 * inside the caller's transaction, each cast under a savepoint, so a refusal never ends the transaction.
 */
public final class TenantId {

    private final String asked;
    private final String column;
    private final DumpTable tenantTable;
    /** The id as each type of the tenant columns writes it; empty for a type that cannot hold it. */
    private final Map<String, Optional<String>> byType;
    /** The type of each table's tenant column (or of the tenant table's key). */
    private final Map<DumpTable, String> typeOf;

    private TenantId(String asked, String column, DumpTable tenantTable, Map<String, Optional<String>> byType,
            Map<DumpTable, String> typeOf) {
        this.asked = asked;
        this.column = column;
        this.tenantTable = tenantTable;
        this.byType = byType;
        this.typeOf = typeOf;
    }

    /** Reads {@code asked} with the type of every column that names tenants among {@code tables}. */
    static TenantId read(Connection connection, List<DumpTable> tables, String column, DumpTable tenantTable,
            String asked) throws SQLException {
        return read(connection, types(connection, tables, column, tenantTable), column, tenantTable, asked);
    }

    /** Reads {@code asked} with each of {@code typeOf}'s types (the tenant columns' types, as {@link #types} found). */
    static TenantId read(Connection connection, Map<DumpTable, String> typeOf, String column, DumpTable tenantTable,
            String asked) throws SQLException {
        Map<String, Optional<String>> byType = new HashMap<>();
        for (String type : typeOf.values()) {
            if (!byType.containsKey(type)) {
                byType.put(type, cast(connection, type, asked));
            }
        }
        return new TenantId(asked, column, tenantTable, byType, typeOf);
    }

    /**
     * An id the database wrote itself (a round's tenant list), in {@code type}: every tenant column of that one type
     * holds it as it is, with no cast to ask; empty when the columns' types differ (then {@link #read} asks).
     */
    static Optional<TenantId> written(Map<DumpTable, String> typeOf, String column, DumpTable tenantTable,
            String id) {
        if (typeOf.values().stream().distinct().count() != 1) {
            return Optional.empty();
        }
        Map<String, Optional<String>> byType = new HashMap<>();
        byType.put(typeOf.values().iterator().next(), Optional.of(id));
        return Optional.of(new TenantId(id, column, tenantTable, byType, typeOf));
    }

    /** The type of each table's tenant column (or of the tenant table's key), for the tables that have one. */
    static Map<DumpTable, String> types(Connection connection, List<DumpTable> tables, String column,
            DumpTable tenantTable) throws SQLException {
        Map<DumpTable, String> typeOf = new LinkedHashMap<>();
        try (PreparedStatement types = connection.prepareStatement("SELECT a.atttypid::regtype::text FROM pg_attribute"
                + " a WHERE a.attrelid = ? AND a.attname = ? AND NOT a.attisdropped")) {
            for (DumpTable table : tables) {
                String named = table.equals(tenantTable) ? table.primaryKey().get(0) : column;
                if (!table.hasColumn(named)) {
                    continue;
                }
                types.setLong(1, table.oid());
                types.setString(2, named);
                try (ResultSet rs = types.executeQuery()) {
                    if (rs.next()) {
                        typeOf.put(table, rs.getString(1));
                    }
                }
            }
        }
        return typeOf;
    }

    // The id as the type writes it, or empty when the type cannot hold it (a data exception, or a domain's check).
    private static Optional<String> cast(Connection connection, String type, String asked) throws SQLException {
        Savepoint before = connection.getAutoCommit() ? null : connection.setSavepoint();
        try (PreparedStatement statement = connection.prepareStatement("SELECT CAST(CAST(? AS text) AS " + type
                + ")::text")) {
            statement.setString(1, asked);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                Optional<String> read = Optional.ofNullable(rs.getString(1));
                if (before != null) {
                    connection.releaseSavepoint(before);
                }
                return read;
            }
        } catch (SQLException e) {
            String state = String.valueOf(e.getSQLState());
            if (before != null) {
                connection.rollback(before);
            }
            if (state.startsWith("22") || state.startsWith("23")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The id as the caller asked for it. */
    public String asked() {
        return asked;
    }

    /** Whether the column naming tenants in {@code table} can hold the id at all: where not, no row there is the tenant's. */
    boolean heldBy(DumpTable table) {
        String type = typeOf.get(table);
        return type == null || byType.get(type).isPresent();
    }

    /** The id as SQL for {@code table}'s tenant column: a literal its type reads (callers check {@link #heldBy}). */
    String literalFor(DumpTable table) {
        String type = typeOf.get(table);
        return Identifiers.literal(type == null ? asked : byType.get(type).orElse(asked));
    }

    /**
     * The id as the database writes it: by the tenant table's key where there is one, else by the first tenant column
     * that holds it. The form dumps are filed and locked under, so {@code 01} and {@code 1} are one tenant.
     */
    public String canonical() {
        String type = tenantTable != null ? typeOf.get(tenantTable) : null;
        if (type != null) {
            return byType.get(type).orElse(asked);
        }
        return typeOf.values().stream().map(byType::get).flatMap(Optional::stream).findFirst().orElse(asked);
    }

    /**
     * Refuses an id no tenant can have: one the tenant table's key (or, without a tenant table, every tenant column)
     * cannot hold, and one the tenant table has no row for.
     */
    void requireKnown(Connection connection) throws TenantRefusal, SQLException {
        requireValid();
        if (tenantTable != null) {
            String key = tenantTable.primaryKey().get(0);
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM "
                         + tenantTable.qualifiedIdentifier() + " WHERE " + Identifiers.quote(key) + " = "
                         + literalFor(tenantTable) + ")")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw TenantRefusal.unknown("there is no tenant " + asked + ": " + tenantTable.displayName()
                            + " (dump.tenant.table) has no row with " + key + " " + canonical());
                }
            }
        }
    }

    /** Refuses an id no tenant can ever have: one the tenant table's key (without one, every tenant column) cannot hold. */
    void requireValid() throws TenantRefusal {
        if (tenantTable != null) {
            String type = typeOf.get(tenantTable);
            if (byType.get(type).isEmpty()) {
                throw TenantRefusal.invalid("tenant id " + asked + " is not a valid " + type + " (the type of "
                        + tenantTable.displayName() + "." + tenantTable.primaryKey().get(0) + "), so no tenant has it");
            }
            return;
        }
        if (!typeOf.isEmpty() && byType.values().stream().allMatch(Optional::isEmpty)) {
            throw TenantRefusal.invalid("tenant id " + asked + " is not a valid " + String.join(" or ",
                    typeOf.values().stream().distinct().toList()) + " (the type of column " + column
                    + "), so no tenant has it");
        }
    }
}
