package dev.databasedump.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import dev.databasedump.document.DumpMetadata;

/** What a finished dump reports: where it is, how big, its SHA-256, and its metadata (never its data). */
@JsonPropertyOrder({"bucket", "key", "size_bytes", "sha256", "metadata"})
public record DumpSummary(
        @JsonProperty("bucket") String bucket,
        @JsonProperty("key") String key,
        @JsonProperty("size_bytes") long sizeBytes,
        @JsonProperty("sha256") String sha256,
        @JsonProperty("metadata") DumpMetadata metadata) {
}
