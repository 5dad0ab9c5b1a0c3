package dev.databasedump.settings;

import java.util.Locale;

/** How the stored dump is encoded ({@code dump.compression}). */
public enum Compression {
    NONE(".json", "application/json"),
    GZIP(".json.gz", "application/gzip");

    private final String fileExtension;
    private final String contentType;

    Compression(String fileExtension, String contentType) {
        this.fileExtension = fileExtension;
        this.contentType = contentType;
    }

    public String fileExtension() {
        return fileExtension;
    }

    public String contentType() {
        return contentType;
    }

    static Compression parse(String key, String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(key, "expected none or gzip, got '" + value + "'");
        }
    }
}
