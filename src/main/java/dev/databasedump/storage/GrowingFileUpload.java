package dev.databasedump.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads a file while it is still being written, as one multipart upload, so the upload overlaps the reading instead
 * of following it. Part n holds bytes {@code [(n-1)·partSize, n·partSize)}; parts 2, 3, ... go up in the background as
 * soon as the file has grown past them. Part 1 holds the start of the file, which is rewritten at the end (the
 * metadata), so it goes up last, in {@link #finish}, with the final part; multipart parts may arrive in any order.
 * Every part is read from the file, so the SDK can send it again when a try fails. Small files, done before their
 * second part is full, never start a multipart upload: {@link #started} says so, and the caller stores them whole.
 */
public final class GrowingFileUpload {

    private static final Logger LOG = LoggerFactory.getLogger(GrowingFileUpload.class);
    private static final long COMPLETER_GRACE_MILLIS = 30_000;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final String contentType;
    private final Path file;
    private final long partSize;
    private final ExecutorService worker;
    private final Map<Integer, CompletedPart> parts = new ConcurrentSkipListMap<>();
    private final List<Future<?>> sent = new ArrayList<>();
    private volatile String uploadId;
    private boolean aborted;
    private volatile Thread completer;
    private volatile Future<Void> completion;
    private volatile boolean completed;
    private int nextPart = 2;

    /** @param worker runs the background part uploads; shut down by {@link #abort} */
    public GrowingFileUpload(S3Client s3, String bucket, String key, String contentType, Path file, long partSize,
            ExecutorService worker) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.contentType = contentType;
        this.file = file;
        this.partSize = partSize;
        this.worker = worker;
    }

    /**
     * The file is final up to {@code length} bytes (apart from its first part): sends every part now complete, in the
     * background. Rethrows a background part's failure, so the reading stops as soon as the upload cannot succeed.
     */
    public synchronized void finalUpTo(long length) {
        failIfAPartFailed();
        while ((long) nextPart * partSize <= length) {
            int part = nextPart++;
            sent.add(worker.submit(() -> send(part, (part - 1) * partSize, partSize)));
        }
    }

    /** Whether any part has been handed to the background upload: the file must then be completed here. */
    public synchronized boolean started() {
        return nextPart > 2;
    }

    /**
     * The file is complete at {@code size} bytes, its first part included: sends what is left and part 1, then
     * completes the upload, all in the background, so the caller can hash the file meanwhile; {@link #complete} waits.
     */
    public synchronized void finish(long size) {
        LOG.info("{} parts of s3://{}/{} were stored while the tables were read; {} to go", parts.size(), bucket, key,
                (size + partSize - 1) / partSize - parts.size());
        finalUpTo(size);
        long lastStart = (nextPart - 1L) * partSize;
        if (size > lastStart) {
            int part = nextPart++;
            sent.add(worker.submit(() -> send(part, lastStart, size - lastStart)));
        }
        sent.add(worker.submit(() -> send(1, 0, Math.min(partSize, size))));
        List<Future<?>> waiting = List.copyOf(sent);
        FutureTask<Void> task = new FutureTask<>(() -> {
            completeAfter(waiting);
            return null;
        });
        completer = new Thread(task, "database-dump-complete");
        completer.setDaemon(true);
        completer.start();
        completion = task;
    }

    /** Waits until the upload is complete: the object is at the key. */
    public void complete() throws InterruptedException {
        try {
            completion.get();
        } catch (ExecutionException e) {
            throw rethrown(e);
        }
    }

    /** Whether the object is at the key: a dump that fails after this must remove it. */
    public boolean completed() {
        return completed;
    }

    // Completes with If-None-Match, so the upload never replaces an object already at the key.
    private void completeAfter(List<Future<?>> waiting) throws InterruptedException {
        for (Future<?> part : waiting) {
            awaitPart(part);
        }
        // If-None-Match makes this atomic on AWS S3; some S3-compatible stores (S3Proxy 3.0) ignore it on
        // completion, so an object that reached the key meanwhile is also looked for first.
        if (DumpKeys.exists(s3, bucket, key)) {
            throw new IllegalStateException("s3://" + bucket + "/" + key + " appeared while the dump was uploaded; "
                    + "it was left as it is");
        }
        synchronized (this) {
            if (aborted) {
                throw new IllegalStateException("the upload of s3://" + bucket + "/" + key + " was aborted");
            }
        }
        s3.completeMultipartUpload(CompleteMultipartUploadRequest.builder().bucket(bucket).key(key)
                .uploadId(uploadId).ifNoneMatch("*")
                .multipartUpload(CompletedMultipartUpload.builder().parts(parts.values()).build()).build());
        completed = true;
        LOG.debug("Completed s3://{}/{} in {} parts", bucket, key, parts.size());
    }

    /**
     * Always last: stops the background uploads and, if a multipart upload was started and not completed, aborts it;
     * never throws.
     */
    public void abort() {
        worker.shutdownNow();
        Thread finishing = completer;
        if (finishing != null) {
            finishing.interrupt();
            try {
                // Once it has ended, completed() is final: the caller knows whether an object must be removed.
                finishing.join(COMPLETER_GRACE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String id;
        synchronized (this) {
            aborted = true;
            id = uploadId;
        }
        if (id == null || completed) {
            return;
        }
        try {
            s3.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(bucket).key(key).uploadId(id).build());
        } catch (RuntimeException e) {
            LOG.warn("Could not abort the multipart upload of s3://{}/{}: {}", bucket, key, e.getMessage());
        }
    }

    private void send(int part, long offset, long length) {
        String id = uploadId();
        var response = s3.uploadPart(UploadPartRequest.builder().bucket(bucket).key(key).uploadId(id)
                        .partNumber(part).contentLength(length).build(),
                RequestBody.fromContentProvider(() -> range(offset, length), length, contentType));
        parts.put(part, CompletedPart.builder().partNumber(part).eTag(response.eTag()).build());
    }

    // Created by whichever part goes up first.
    private synchronized String uploadId() {
        if (aborted) {
            // A part still running when the dump failed must not open an upload that nobody would abort.
            throw new IllegalStateException("the upload of s3://" + bucket + "/" + key + " was aborted");
        }
        if (uploadId == null) {
            uploadId = s3.createMultipartUpload(CreateMultipartUploadRequest.builder().bucket(bucket).key(key)
                    .contentType(contentType).build()).uploadId();
        }
        return uploadId;
    }

    private InputStream range(long offset, long length) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            return new BoundedInputStream(Channels.newInputStream(channel), length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void failIfAPartFailed() {
        for (Future<?> part : sent) {
            if (part.isDone()) {
                rethrowIfFailed(part);
            }
        }
    }

    private static void awaitPart(Future<?> part) throws InterruptedException {
        try {
            part.get();
        } catch (ExecutionException e) {
            throw rethrown(e);
        }
    }

    // For a part that is done: get() returns at once, or throws what the part threw.
    private static void rethrowIfFailed(Future<?> done) {
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw rethrown(e);
        }
    }

    private static RuntimeException rethrown(ExecutionException e) {
        return e.getCause() instanceof RuntimeException runtime ? runtime
                : new IllegalStateException(e.getCause().getMessage(), e.getCause());
    }

    /** At most {@code remaining} bytes of a stream, then end of stream; closes the stream it wraps. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int read = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (read > 0) {
                remaining -= read;
            }
            return read;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
