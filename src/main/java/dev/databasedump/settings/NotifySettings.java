package dev.databasedump.settings;

import java.net.URI;
import java.util.Optional;

/**
 * Who is told when a dump finishes.
 *
 * @param webhookUrl receives a JSON POST on success and on failure ({@code dump.notify.webhook-url})
 * @param attempts   tries per notification, with growing pauses between them ({@code dump.notify.attempts})
 */
public record NotifySettings(Optional<URI> webhookUrl, int attempts) {

    public NotifySettings {
        if (attempts < 1 || attempts > 10) {
            throw new InvalidSettingException("dump.notify.attempts", "must be between 1 and 10, got " + attempts);
        }
    }

    public static NotifySettings none() {
        return new NotifySettings(Optional.empty(), 3);
    }
}
