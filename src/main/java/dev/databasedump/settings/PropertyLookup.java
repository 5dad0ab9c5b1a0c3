package dev.databasedump.settings;

import java.util.Optional;

/** Where settings come from: Camel's properties component in the application, a map in tests. */
@FunctionalInterface
public interface PropertyLookup {

    /** The value of {@code key}, empty when it is unset or blank. */
    Optional<String> find(String key);
}
