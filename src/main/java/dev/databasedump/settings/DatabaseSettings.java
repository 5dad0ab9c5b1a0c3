package dev.databasedump.settings;

import java.util.Objects;

/**
 * How to reach PostgreSQL.
 *
 * @param url      JDBC URL ({@code dump.db.url}); on Supabase the direct connection or either pooler: nothing the
 *                 application does outlives its transaction
 * @param user     role to connect as ({@code dump.db.user}); a BYPASSRLS role exports tables with row security
 * @param password its password ({@code dump.db.password}); never logged or echoed
 */
public record DatabaseSettings(String url, String user, String password) {

    public DatabaseSettings {
        validate("dump.db.url", url);
        user = user == null ? "" : user;
        password = password == null ? "" : password;
    }

    /** The same, validated as the setting {@code urlKey} (the restore target's, say), which its errors then name. */
    public DatabaseSettings(String urlKey, String url, String user, String password) {
        this(validate(urlKey, url), user, password);
    }

    private static String validate(String urlKey, String url) {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new InvalidSettingException(urlKey, "expected a jdbc:postgresql: URL");
        }
        // A URL is shown in logs and errors; the password must travel where it is treated as a secret.
        if (url.toLowerCase(java.util.Locale.ROOT).contains("password=")) {
            String passwordKey = urlKey.substring(0, urlKey.length() - "url".length()) + "password";
            throw new InvalidSettingException(urlKey, "must not carry the password; set " + passwordKey);
        }
        return url;
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + url + ", user=" + user + ", password=***]";
    }
}
