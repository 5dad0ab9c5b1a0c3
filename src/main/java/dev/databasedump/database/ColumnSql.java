package dev.databasedump.database;

import java.util.List;
import java.util.stream.Collectors;

/** SQL over a list of columns of an aliased relation, every name quoted: the few shapes keys and rows are matched by. */
public final class ColumnSql {

    private ColumnSql() {
    }

    /** {@code l.a = r.x AND l.b = r.y}: the columns of {@code left} on one side equal those of {@code right}. */
    public static String equal(List<String> left, String leftAlias, List<String> right, String rightAlias) {
        StringBuilder equal = new StringBuilder();
        for (int i = 0; i < left.size(); i++) {
            equal.append(i == 0 ? "" : " AND ").append(leftAlias).append('.').append(Identifiers.quote(left.get(i)))
                    .append(" = ").append(rightAlias).append('.').append(Identifiers.quote(right.get(i)));
        }
        return equal.toString();
    }

    /** The columns' values of {@code alias} as a JSON object's text, naming a row: {@code {"id" : 2}}. */
    public static String jsonObject(String alias, List<String> columns) {
        return "json_build_object(" + columns.stream().map(c -> Identifiers.literal(c) + ", " + alias + "."
                + Identifiers.quote(c)).collect(Collectors.joining(", ")) + ")::text";
    }
}
