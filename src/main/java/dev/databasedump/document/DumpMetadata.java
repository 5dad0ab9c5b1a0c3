package dev.databasedump.document;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import dev.databasedump.database.DatabaseInfo;

import java.util.List;
import java.util.Map;

/**
 * The {@code metadata} object at the head of every dump; its counts equal the arrays under {@code data}.
 *
 * @param exportedAt    when the dump started, just before its snapshot was taken, ISO-8601 UTC
 * @param triggeredBy   subject of the admin who asked for it over HTTP; absent for other triggers
 * @param tablesSummary rows and columns per table key, in document order
 */
@JsonPropertyOrder({"format_version", "exported_at", "environment", "triggered_by", "database", "schemas", "total_tables",
        "total_rows", "tables_summary", "duration_ms"})
public record DumpMetadata(
        @JsonProperty("format_version") int formatVersion,
        @JsonProperty("exported_at") String exportedAt,
        @JsonProperty("environment") String environment,
        @JsonProperty("triggered_by") @JsonInclude(JsonInclude.Include.NON_NULL) String triggeredBy,
        @JsonProperty("database") Database database,
        @JsonProperty("schemas") List<String> schemas,
        @JsonProperty("total_tables") int totalTables,
        @JsonProperty("total_rows") long totalRows,
        @JsonProperty("tables_summary") Map<String, TableSummary> tablesSummary,
        @JsonProperty("duration_ms") long durationMs) {

    /** Bumped when the document's shape changes in a way readers must know about. */
    public static final int FORMAT_VERSION = 1;

    public record Database(@JsonProperty("name") String name, @JsonProperty("server_version") String serverVersion) {

        public static Database of(DatabaseInfo info) {
            return new Database(info.name(), info.serverVersion());
        }
    }

    public record TableSummary(@JsonProperty("rows") long rows, @JsonProperty("columns") int columns) {
    }
}
