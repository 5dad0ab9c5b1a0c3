package dev.databasedump.database;

/**
 * Where a sequence stood when the dump read it, as {@code setval(seq, lastValue, isCalled)} restores it.
 *
 * @param schema    its schema
 * @param name      its name
 * @param lastValue its last value, or its start value when {@code isCalled} is false
 * @param isCalled  whether {@code nextval} has handed out {@code lastValue} already
 */
public record SequenceState(String schema, String name, long lastValue, boolean isCalled) {

    /** A sequence by schema and name. */
    public record Name(String schema, String name) {

        /** {@code schema.name} as people write it. */
        public String displayName() {
            return schema + "." + name;
        }
    }
}
