package dev.databasedump.scope;

import dev.databasedump.database.DumpTable;
import dev.databasedump.database.StepFailedException;
import dev.databasedump.database.TableCatalog;
import dev.databasedump.settings.DumpSettings;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Where a trigger learns, before a tenant's dump starts, whether the tenant can be dumped and what it is called: the
 * tenant id as the database writes it ({@code 01} is the bigint {@code 1}), which its dumps are filed and locked
 * under, or a refusal ({@link TenantRefusal}) for an id no tenant can have. One short read-only transaction on the
 * catalog and the tenant table; the dump checks again inside its snapshot.
 */
public final class TenantDirectory {

    private final Supplier<DataSource> dataSource;
    private final DumpSettings settings;

    /** @param dataSource the database dumps are taken from, resolved on first use */
    public TenantDirectory(Supplier<DataSource> dataSource, DumpSettings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
    }

    /**
     * The tenant {@code asked} names, as the database writes it.
     *
     * @throws TenantRefusal      when no tenant can have that id
     * @throws StepFailedException when the database cannot be asked
     */
    public String canonical(String asked) throws StepFailedException {
        return lookUp(asked, true);
    }

    /**
     * The tenant {@code asked} names, as the database writes it, whether or not the tenant table still has it (its
     * dumps outlive it): for listing a tenant's dumps.
     *
     * @throws TenantRefusal      when no tenant could ever have that id
     * @throws StepFailedException when the database cannot be asked
     */
    public String written(String asked) throws StepFailedException {
        return lookUp(asked, false);
    }

    private String lookUp(String asked, boolean mustExist) throws StepFailedException {
        String column = settings.tenants().column().orElseThrow();
        try (Connection connection = dataSource.get().getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<DumpTable> tables = new TableCatalog(settings.schemas(), settings.tables()).list(connection);
                DumpTable tenantTable = settings.tenants().table().isPresent()
                        ? TenantScope.tenantTable(tables, settings.tenants().table().get()) : null;
                TenantId id = TenantId.read(connection, tables, column, tenantTable, asked);
                if (mustExist) {
                    id.requireKnown(connection);
                } else {
                    id.requireValid();
                }
                return id.canonical();
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new StepFailedException("checking tenant " + asked, e);
        }
    }
}
