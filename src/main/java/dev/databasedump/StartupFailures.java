package dev.databasedump;

import dev.databasedump.pipeline.DumpFailedException;
import dev.databasedump.pipeline.FailureMessages;
import dev.databasedump.settings.InvalidSettingException;

/** Finds the one line worth showing in a failure that Camel may have wrapped several times. */
final class StartupFailures {

    private StartupFailures() {
    }

    static String oneLine(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        Throwable shown = failure;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidSettingException || t instanceof DumpFailedException) {
                shown = t;
                break;
            }
            shown = t;
        }
        return FailureMessages.firstLine(shown.getMessage() != null ? shown.getMessage()
                : shown.getClass().getSimpleName());
    }
}
