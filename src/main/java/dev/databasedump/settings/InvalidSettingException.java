package dev.databasedump.settings;

/** A {@code dump.} setting that cannot work; the message names the key and says what is expected. */
public class InvalidSettingException extends IllegalArgumentException {

    public InvalidSettingException(String key, String problem) {
        super("invalid setting " + key + ": " + problem);
    }
}
