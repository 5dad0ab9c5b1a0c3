package dev.databasedump.database;

import dev.databasedump.settings.DatabaseSettings;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

/** The DataSource the dump uses when the host does not give one: plain pgjdbc, no pool (a connection per reader). */
public final class PostgresDataSources {

    private PostgresDataSources() {
    }

    public static DataSource create(DatabaseSettings settings) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(settings.url());
        dataSource.setUser(settings.user());
        dataSource.setPassword(settings.password());
        // DBAs see who holds the long read transaction in pg_stat_activity.
        dataSource.setApplicationName("database-dump");
        return dataSource;
    }
}
