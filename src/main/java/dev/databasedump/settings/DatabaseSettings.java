package dev.databasedump.settings;

import java.util.Objects;

/**
 * How to reach PostgreSQL.
 *
 * @param url      JDBC URL ({@code dump.db.url}); on Supabase the direct or session-mode connection, never the
 *                 transaction pooler, because the whole dump is one transaction
 * @param user     role to connect as ({@code dump.db.user}); a BYPASSRLS role exports tables with row security
 * @param password its password ({@code dump.db.password}); never logged or echoed
 */
public record DatabaseSettings(String url, String user, String password) {

    public DatabaseSettings {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new InvalidSettingException("dump.db.url", "expected a jdbc:postgresql: URL");
        }
        // A URL is shown in logs and errors; the password must travel where it is treated as a secret.
        if (url.toLowerCase(java.util.Locale.ROOT).contains("password=")) {
            throw new InvalidSettingException("dump.db.url", "must not carry the password; set dump.db.password");
        }
        user = user == null ? "" : user;
        password = password == null ? "" : password;
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + url + ", user=" + user + ", password=***]";
    }
}
