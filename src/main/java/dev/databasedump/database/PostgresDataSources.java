package dev.databasedump.database;

import dev.databasedump.settings.DatabaseSettings;

import java.sql.Connection;
import java.sql.SQLException;
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
        // No named server-side statement: through a transaction pooler one would stay on a server connection that the
        // next client gets ("prepared statement S_1 already exists"). Our statements run a few times each.
        dataSource.setPrepareThreshold(0);
        return dataSource;
    }

    /** The name of the database {@code settings} connect to, as pgjdbc reads it from the URL (else the user's name). */
    public static String databaseName(DatabaseSettings settings) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(settings.url());
        String name = dataSource.getDatabaseName();
        return name == null || name.isEmpty() ? settings.user() : name;
    }

    /** The name of the database a host's DataSource connects to; asks it once, since only a connection tells. */
    public static String databaseName(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getCatalog();
        }
    }
}
