package dev.databasedump.storage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a file while it is still being written: every dump goes up through here, whatever its size. Part n of a
 * multipart upload holds bytes {@code [(n-1)·partSize, n·partSize)}; parts 2, 3, ... go up in the background as soon
 * as the file has grown past them, so the upload overlaps the reading. Part 1 holds the start of the file, which is
 * rewritten at the end (the metadata), so it goes up last, in {@link #finish}; multipart parts may arrive in any order.
 * A file done before its second part is full never starts a multipart upload: it goes up in one PUT. Either way the
 * object never replaces one already at the key ({@code If-None-Match: *}, and a look at the key just before, for
 * stores that ignore the header). Every request body is read from the file, so the SDK can send it again on a retry;
 * but a request the store cut off mid-body, or refused (4xx), is never sent again: the first such answer is the
 * upload's {@link #failure}, no part starts after it, and the reading (which asks after every row) stops. At most a
 * few parts wait for a sender ({@link #QUEUED}): past that, whoever makes the file grow waits, so neither requests nor
 * queued work grow with a table.
 */
public final class GrowingFileUpload {

    private static final Logger LOG = LoggerFactory.getLogger(GrowingFileUpload.class);
    private static final long COMPLETER_GRACE_MILLIS = 30_000;
    /** How long an abort waits for part requests already on the wire to end, before it aborts the upload. */
    private static final long IN_FLIGHT_GRACE_SECONDS = 60;
    /** Parts that may wait for a sender beside those being sent. */
    static final int QUEUED = 2;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final ObjectHeaders headers;
    private final Path file;
    private final long partSize;
    private final ExecutorService worker;
    private final StoreErrors errors;
    private final KeyChecks keyChecks;
    private volatile boolean keyLookedAtUnderLock;
    private final PartUploads parts;
    private final List<Future<?>> sent = new ArrayList<>();
    /** Parts being sent or waiting for a sender. */
    private final Semaphore slots;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private volatile Thread completer;
    private volatile Future<Void> completion;
    private volatile boolean completed;
    private int nextPart = 2;

    /**
     * @param worker  runs the background part uploads; shut down by {@link #abort}
     * @param senders how many threads {@code worker} has: parts sent at once
     */
    /**
     * The key was chosen from a listing of its folder taken while holding the lock every dump of that folder takes
     * (a round's tenant dump): no dump of ours can have reached it since, so a single PUT skips its look just before.
     */
    public void keyLookedAtUnderLock() {
        keyLookedAtUnderLock = true;
    }

    public GrowingFileUpload(S3Client s3, String bucket, String key, ObjectHeaders headers, Path file, long partSize,
            ExecutorService worker, int senders, StoreErrors errors) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.headers = headers;
        this.file = file;
        this.partSize = partSize;
        this.worker = worker;
        this.errors = errors;
        this.keyChecks = new KeyChecks(s3, bucket, key, errors);
        this.parts = new PartUploads(s3, bucket, key, headers, file, errors);
        this.slots = new Semaphore(senders + QUEUED);
    }

    /**
     * The file is final up to {@code length} bytes (apart from its first part): sends every part now complete, in the
     * background. Rethrows a background part's failure, so the reading stops as soon as the upload cannot succeed.
     */
    public synchronized void finalUpTo(long length) {
        failIfAPartFailed();
        while ((long) nextPart * partSize <= length) {
            int part = nextPart++;
            submit(part, UploadBody.range(file, (part - 1) * partSize, partSize));
        }
    }

    /** The first answer that failed the upload (a part cut off, refused, or not answered in time); null while none. */
    public RuntimeException failure() {
        return failure.get();
    }

    // Waits for a free slot (a sender, or a place in the short queue), then hands the part over; a part whose turn
    // comes after the upload failed is not sent.
    private void submit(int part, UploadBody body) {
        try {
            while (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                failIfAPartFailed();
                if (worker.isShutdown()) {
                    throw new IllegalStateException("the upload of s3://" + bucket + "/" + key + " was aborted");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to send part " + part, e);
        }
        try {
            sent.add(worker.submit(() -> {
                try {
                    if (failure.get() == null) {
                        send(part, body);
                    }
                } finally {
                    slots.release();
                }
            }));
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    /** Whether any part has been handed to the background upload. */
    public synchronized boolean started() {
        return nextPart > 2;
    }

    /**
     * The file is complete at {@code size} bytes, its first part included: stores what is left (the last parts and
     * part 1, or the whole file in one PUT), all in the background, so the caller can hash the file meanwhile;
     * {@link #complete} waits.
     */
    public synchronized void finish(long size) {
        finish(size, null);
    }

    /**
     * As {@link #finish(long)}, the file's start replaced by another file's bytes where {@code replaced} says so (a
     * head that outgrew its room): only the request that carries the start of the object is sent from the two.
     */
    public synchronized void finish(long fileSize, ReplacedStart replaced) {
        long size = replaced == null ? fileSize : fileSize - replaced.replaces() + replaced.headLength();
        if (!started() && fileSize <= partSize) {
            UploadBody whole = UploadBody.start(file, fileSize, replaced);
            completion = inBackground(() -> putWhole(whole));
            return;
        }
        LOG.info("{} parts of s3://{}/{} were stored while the tables were read; {} to go", parts.stored(), bucket,
                key, (fileSize + partSize - 1) / partSize - parts.stored());
        finalUpTo(fileSize);
        long lastStart = (nextPart - 1L) * partSize;
        if (fileSize > lastStart) {
            submit(nextPart++, UploadBody.range(file, lastStart, fileSize - lastStart));
        }
        submit(1, UploadBody.start(file, Math.min(partSize, fileSize), replaced));
        List<Future<?>> waiting = List.copyOf(sent);
        completion = inBackground(() -> completeAfter(waiting, size));
    }

    /** Waits until the object is at the key. */
    public void complete() throws InterruptedException {
        try {
            completion.get();
        } catch (ExecutionException e) {
            throw Futures.rethrown(e);
        }
    }

    /** Whether the object is at the key: a dump that fails after this must remove it. */
    public boolean completed() {
        return completed;
    }

    private Future<Void> inBackground(Callable<Void> work) {
        FutureTask<Void> task = new FutureTask<>(work);
        completer = new Thread(task, "database-dump-complete");
        completer.setDaemon(true);
        completer.start();
        return task;
    }

    // A store over its size limit answers a PUT "100 Continue", then 413 mid-body, and closes: the SDK never reads the
    // 413 and would send the whole dump again and again. So a PUT cut off is not sent again; other failures (a 503) are
    // retried as the client retries.
    private Void putWhole(UploadBody whole) throws InterruptedException {
        long size = whole.length();
        if (!keyLookedAtUnderLock) {
            keyChecks.free();
        }
        try {
            s3.putObject(headers.applyTo(PutObjectRequest.builder().bucket(bucket).key(key).contentLength(size))
                            .ifNoneMatch("*").overrideConfiguration(o -> o.addPlugin(PartUploads.NOT_RETRIED_AFTER_A_CUT)).build(),
                    whole.requestBody(headers.contentType()));
        } catch (RuntimeException e) {
            if (StoreErrors.cutWhileSending(e)) {
                // A store may answer a refusal of the headers (a 501 for server-side encryption) and close before the
                // body is read: the same headers without a body say whether it did, and the dump is not sent again.
                parts.refusalOfTheHeaders();
            }
            throw errors.explain(e, StoreErrors.Sent.whole(size));
        }
        completed = true;
        return null;
    }

    private Void completeAfter(List<Future<?>> waiting, long size) throws InterruptedException {
        for (Future<?> part : waiting) {
            Futures.await(part);
        }
        keyChecks.free();
        parts.complete();
        long stored = keyChecks.storedSize();
        if (stored != size) {
            // Missing, the upload is still open and abort() aborts it; there but short, it is ours to remove.
            completed = stored >= 0;
            throw new IllegalStateException("the store said s3://" + bucket + "/" + key + " was complete, but it "
                    + (stored < 0 ? "is not there" : "holds " + stored + " bytes, not " + size));
        }
        completed = true;
        return null;
    }

    /**
     * Always last: stops the background uploads, waits for the part requests already on the wire to end and, if a
     * multipart upload was started and not completed, aborts it (twice, where still listed); never throws.
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
        awaitPartsInFlight();
        if (!completed) {
            parts.abort();
        }
    }

    private void awaitPartsInFlight() {
        try {
            if (!worker.awaitTermination(IN_FLIGHT_GRACE_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("Parts of s3://{}/{} were still being sent after {} s; aborting the upload anyway", bucket, key,
                        IN_FLIGHT_GRACE_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(int part, UploadBody body) {
        try {
            parts.send(part, body);
        } catch (RuntimeException e) {
            if (failure.compareAndSet(null, e)) {
                LOG.debug("Part {} of s3://{}/{} failed; no further part is sent", part, bucket, key);
            }
            throw e;
        }
    }

    private void failIfAPartFailed() {
        RuntimeException failed = failure.get();
        if (failed != null) {
            throw failed;
        }
    }
}
