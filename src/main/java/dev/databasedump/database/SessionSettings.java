package dev.databasedump.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings that change how PostgreSQL writes values as text (dates inside ranges, intervals, bytea, floats,
 * money). The dump pins them, so a database or role default such as {@code bytea_output = escape} never changes its
 * output, records them in its metadata together with {@code lc_monetary}, and a restore sets the same ones, so every
 * value reads back as it was written.
 */
public final class SessionSettings {

    /** Pinned for every dump, whatever the database's or role's defaults. */
    public static final Map<String, String> PINNED = pinned();

    private SessionSettings() {
    }

    private static Map<String, String> pinned() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("TimeZone", "UTC");
        settings.put("DateStyle", "ISO, MDY");
        settings.put("IntervalStyle", "postgres");
        settings.put("bytea_output", "hex");
        settings.put("extra_float_digits", "3");
        return Map.copyOf(settings);
    }

    /** Sets {@code settings} for the current transaction only. */
    public static void apply(Connection connection, Map<String, String> settings) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT set_config(?, ?, true)")) {
            for (Map.Entry<String, String> setting : settings.entrySet()) {
                statement.setString(1, setting.getKey());
                statement.setString(2, setting.getValue());
                statement.execute();
            }
        }
    }

    /** What a restore needs to read this session's values back: the pinned settings and the money locale. */
    public static Map<String, String> recorded(Connection connection) throws SQLException {
        Map<String, String> recorded = new LinkedHashMap<>();
        for (String name : new String[] {"TimeZone", "DateStyle", "IntervalStyle", "bytea_output",
                "extra_float_digits", "lc_monetary"}) {
            try (PreparedStatement statement = connection.prepareStatement("SELECT current_setting(?)")) {
                statement.setString(1, name);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    recorded.put(name, rs.getString(1));
                }
            }
        }
        return recorded;
    }
}
