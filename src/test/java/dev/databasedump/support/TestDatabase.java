package dev.databasedump.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A database of its own for one test, on the machine's PostgreSQL ({@code TEST_PG_URL}, default
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres} as {@code postgres}); dropped on close.
 */
public final class TestDatabase implements AutoCloseable {

    private static final String ADMIN_URL =
            System.getenv().getOrDefault("TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String ADMIN_USER = System.getenv().getOrDefault("TEST_PG_USER", "postgres");

    private final String name;

    private TestDatabase(String name) {
        this.name = name;
    }

    public static TestDatabase create() {
        String name = "dd_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, ADMIN_USER, "");
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database: " + e.getMessage(), e);
        }
        return new TestDatabase(name);
    }

    public String name() {
        return name;
    }

    public String url() {
        return ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + name;
    }

    public String adminUser() {
        return ADMIN_USER;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), ADMIN_USER, "");
    }

    /** A connection whose open transaction holds {@code table} in ACCESS EXCLUSIVE mode until it ends. */
    public Connection holdExclusively(String table) throws SQLException {
        Connection holder = connect();
        holder.setAutoCommit(false);
        try (Statement statement = holder.createStatement()) {
            statement.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
        }
        return holder;
    }

    /** Runs each statement in its own autocommit transaction. */
    public void execute(String... sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String s : sql) {
                statement.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Runs a script from the test resources (statements separated by semicolons) in one autocommit call. */
    public void executeScript(String resource) {
        try (var in = TestDatabase.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            execute(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The quick start's sample schema and rows ({@code scripts/sample-schema.sql}), as a new user gets them. */
    public void sampleSchema() {
        try {
            execute(java.nio.file.Files.readString(java.nio.file.Path.of("scripts/sample-schema.sql")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The first column of every row of a query, as text. */
    public java.util.List<String> strings(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             var rs = statement.executeQuery(sql)) {
            java.util.List<String> values = new java.util.ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public long count(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             var rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Sessions of database-dump in this database that wait for a lock. */
    public long dumpSessionsWaitingForALock() {
        return count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND application_name = 'database-dump' AND wait_event_type = 'Lock'");
    }

    /** Sessions of database-dump in this database. */
    public long dumpSessions() {
        return count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND application_name = 'database-dump'");
    }

    @Override
    public void close() {
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, ADMIN_USER, "");
             Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test database " + name + ": " + e.getMessage(), e);
        }
    }
}
