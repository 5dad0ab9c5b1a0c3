package dev.databasedump.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.databasedump.DaemonThreads;
import dev.databasedump.settings.Compression;
import dev.databasedump.settings.StorageSettings;
import dev.databasedump.support.CuttingProxy;
import dev.databasedump.support.CapturedLogs;
import dev.databasedump.support.S3ProxyServer;
import dev.databasedump.support.StoredDump;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListPartsRequest;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upload that overlaps the reading, against a real S3 API server. */
class GrowingFileUploadTest {

    private static final int PART = 5 * 1024 * 1024;
    private static final String KEY = "dumps/growing.json";

    @TempDir
    Path tmp;
    private final S3ProxyServer s3 = S3ProxyServer.get();
    private S3Client client;
    private String bucket;
    private Path file;
    private FileChannel out;
    private final Random random = new Random(42);

    @BeforeEach
    void bucketAndFile() throws IOException {
        client = s3.client();
        bucket = s3.createBucket();
        file = tmp.resolve("document.json");
        out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
    }

    private GrowingFileUpload upload() {
        return upload(client);
    }

    private GrowingFileUpload upload(S3Client through) {
        return new GrowingFileUpload(through, bucket, KEY, new ObjectHeaders("application/json", Optional.empty(), Optional.empty()), file, PART,
                DaemonThreads.pool("test-upload", 2), 2, new StoreErrors(bucket, Optional.empty(), Compression.NONE,
                        Duration.ofMinutes(5)));
    }

    private long grow(int bytes) throws IOException {
        byte[] chunk = new byte[bytes];
        random.nextBytes(chunk);
        out.write(ByteBuffer.wrap(chunk));
        return out.position();
    }

    private int partsSent() {
        MultipartUpload open = client.listMultipartUploads(ListMultipartUploadsRequest.builder().bucket(bucket).build())
                .uploads().stream().findFirst().orElse(null);
        return open == null ? 0 : client.listParts(ListPartsRequest.builder().bucket(bucket).key(KEY)
                .uploadId(open.uploadId()).build()).parts().size();
    }

    @Test
    void should_send_finished_parts_while_the_file_is_still_growing_and_the_first_part_last() throws Exception {
        GrowingFileUpload upload = upload();
        CapturedLogs logs = new CapturedLogs();

        upload.finalUpTo(grow(2 * PART + 100));
        await().atMost(Duration.ofSeconds(30)).until(() -> partsSent() == 1);
        assertThat(upload.started()).isTrue();

        upload.finalUpTo(grow(PART + 7));
        // The start of the file changes at the end, as the metadata does: part 1 must carry the final bytes.
        out.write(ByteBuffer.wrap("{\"metadata\":{}".getBytes()), 0);
        upload.finish(out.size());
        upload.complete();
        upload.abort();
        logs.close();

        assertThat(upload.completed()).isTrue();
        assertThat(StoredDump.download(client, bucket, KEY).storedBytes()).isEqualTo(Files.readAllBytes(file));
        assertThat(StoredDump.openMultipartUploads(client, bucket)).isZero();
        // Closing a completed upload has nothing to abort, and says nothing.
        assertThat(logs.text()).doesNotContain("WARN");
    }

    @Test
    void should_start_no_upload_for_a_file_smaller_than_two_parts() throws Exception {
        GrowingFileUpload upload = upload();

        upload.finalUpTo(grow(2 * PART - 1));

        assertThat(upload.started()).isFalse();
        assertThat(StoredDump.openMultipartUploads(client, bucket)).isZero();
        upload.abort();
    }

    @Test
    void should_never_replace_an_object_that_reached_the_key_meanwhile() throws Exception {
        GrowingFileUpload upload = upload();
        upload.finalUpTo(grow(3 * PART));
        await().atMost(Duration.ofSeconds(30)).until(() -> partsSent() == 2);
        client.putObject(PutObjectRequest.builder().bucket(bucket).key(KEY).build(), RequestBody.fromString("theirs"));

        upload.finish(out.size());
        assertThatThrownBy(upload::complete)
                .hasMessage("s3://" + bucket + "/" + KEY + " appeared while the dump was written; it was left as it is");
        upload.abort();

        assertThat(upload.completed()).isFalse();
        assertThat(StoredDump.text(client, bucket, KEY)).isEqualTo("theirs");
        assertThat(StoredDump.openMultipartUploads(client, bucket)).isZero();
    }

    @Test
    void should_store_a_file_smaller_than_one_part_in_one_put() throws Exception {
        GrowingFileUpload upload = upload();
        upload.finalUpTo(grow(PART - 1));

        upload.finish(out.size());
        upload.complete();
        upload.abort();

        assertThat(upload.completed()).isTrue();
        assertThat(StoredDump.download(client, bucket, KEY).storedBytes()).isEqualTo(Files.readAllBytes(file));
        assertThat(StoredDump.download(client, bucket, KEY).contentType()).isEqualTo("application/json");
    }

    @Test
    void should_look_at_the_key_before_a_single_put_for_stores_that_ignore_if_none_match() throws Exception {
        GrowingFileUpload upload = upload();
        grow(1000);
        client.putObject(PutObjectRequest.builder().bucket(bucket).key(KEY).build(), RequestBody.fromString("theirs"));

        upload.finish(out.size());

        // Not the store's 412: the look before the PUT found the object, so the PUT was never sent.
        assertThatThrownBy(upload::complete)
                .hasMessage("s3://" + bucket + "/" + KEY + " appeared while the dump was written; it was left as it is");
        upload.abort();
        assertThat(StoredDump.text(client, bucket, KEY)).isEqualTo("theirs");
    }

    @Test
    void should_abort_only_after_a_slow_part_has_ended_and_leave_no_upload_open() throws Exception {
        CuttingProxy.Rule part3 = (all, connection, chunk) -> chunk.contains("partNumber=3");
        try (CuttingProxy slowPart = new CuttingProxy(s3.endpoint().getPort(), (all, connection, chunk) -> false)
                .delaying(part3, 3000)) {
            S3Client throughProxy = S3ClientFactory.create(new StorageSettings(bucket, "dumps/", "us-east-1",
                    Optional.of(URI.create("http://127.0.0.1:" + slowPart.port())), true, S3ProxyServer.ACCESS_KEY,
                    S3ProxyServer.SECRET_KEY, PART, Duration.ofMinutes(5)));
            GrowingFileUpload upload = upload(throughProxy);
            upload.finalUpTo(grow(3 * PART));
            await().atMost(Duration.ofSeconds(10)).until(() -> slowPart.delayed() == 1);

            // A failure elsewhere ends the dump while part 3 is still on its way.
            upload.abort();

            List<String> requests = slowPart.passedRequests();
            int part3Sent = indexOf(requests, r -> r.startsWith("PUT ") && r.contains("partNumber=3"));
            int abortSent = indexOf(requests, r -> r.startsWith("DELETE ") && r.contains("uploadId="));
            assertThat(part3Sent).as("the slow part reached the store: " + requests).isNotNegative();
            assertThat(abortSent).as("the abort was sent after the slow part had gone through: " + requests)
                    .isGreaterThan(part3Sent);
            assertThat(requests.subList(abortSent, requests.size())).as("then the uploads at the key were listed")
                    .anyMatch(r -> r.startsWith("GET ") && r.contains("uploads"));
            assertThat(StoredDump.openMultipartUploads(client, bucket)).isZero();
            throughProxy.close();
        }
    }

    @Test
    void should_keep_whoever_makes_the_file_grow_waiting_once_a_few_parts_wait_for_a_sender() throws Exception {
        CuttingProxy.Rule parts = (all, connection, chunk) -> chunk.contains("partNumber=");
        try (CuttingProxy slowStore = new CuttingProxy(s3.endpoint().getPort(), (all, connection, chunk) -> false)
                .delaying(parts, 700)) {
            S3Client throughProxy = S3ClientFactory.create(new StorageSettings(bucket, "dumps/", "us-east-1",
                    Optional.of(URI.create("http://127.0.0.1:" + slowStore.port())), true, S3ProxyServer.ACCESS_KEY,
                    S3ProxyServer.SECRET_KEY, PART, Duration.ofMinutes(5)));
            GrowingFileUpload upload = upload(throughProxy);
            long grown = grow(12 * PART);
            java.util.concurrent.CompletableFuture<Void> growing = java.util.concurrent.CompletableFuture.runAsync(
                    () -> upload.finalUpTo(grown));

            // Two senders and two parts queued: the other seven parts are not handed over until those end.
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !growing.isDone());
            growing.get(30, java.util.concurrent.TimeUnit.SECONDS);
            upload.finish(out.size());
            upload.complete();
            upload.abort();
            assertThat(StoredDump.download(client, bucket, KEY).storedBytes()).isEqualTo(Files.readAllBytes(file));
            throughProxy.close();
        }
    }

    private static int indexOf(List<String> requests, java.util.function.Predicate<String> which) {
        for (int i = 0; i < requests.size(); i++) {
            if (which.test(requests.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
