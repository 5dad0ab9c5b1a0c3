package dev.databasedump.settings;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which tables a dump takes, from {@code dump.include-tables} and {@code dump.exclude-tables}: comma-separated globs
 * ({@code *} any run of characters, {@code ?} one character) matched against the table name and against
 * {@code schema.table}. An empty include list takes every table; exclusion wins over inclusion.
 */
public record TableFilter(List<String> include, List<String> exclude) {

    public TableFilter {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    public static TableFilter all() {
        return new TableFilter(List.of(), List.of());
    }

    public boolean accepts(String schema, String table) {
        boolean included = include.isEmpty() || matchesAny(include, schema, table);
        return included && !matchesAny(exclude, schema, table);
    }

    /** The filters as a caller set them, for a message: empty when every table is taken. */
    public String describe() {
        return (include.isEmpty() ? "" : " matching dump.include-tables=" + String.join(",", include))
                + (exclude.isEmpty() ? "" : " after dump.exclude-tables=" + String.join(",", exclude));
    }

    private static boolean matchesAny(List<String> globs, String schema, String table) {
        String qualified = schema + "." + table;
        for (String glob : globs) {
            Pattern pattern = toPattern(glob);
            if (pattern.matcher(table).matches() || pattern.matcher(qualified).matches()) {
                return true;
            }
        }
        return false;
    }

    private static Pattern toPattern(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
