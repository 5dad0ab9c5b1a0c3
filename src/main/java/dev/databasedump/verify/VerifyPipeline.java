package dev.databasedump.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.exceptionfactory.jagged.RecipientStanzaReader;

import dev.databasedump.document.Age;
import dev.databasedump.document.DocumentProblem;
import dev.databasedump.document.DocumentReader;
import dev.databasedump.document.RowBatch;
import dev.databasedump.document.RowBatches;
import dev.databasedump.document.SourceFailure;
import dev.databasedump.pipeline.AskedDump;
import dev.databasedump.pipeline.FailureMessages;
import dev.databasedump.pipeline.LogContext;
import dev.databasedump.pipeline.RunLifecycle;
import dev.databasedump.storage.DumpStore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the {@code database-verify} route, in route order: {@link #open} the stored dump, {@link #check} each
 * batch of rows, {@link #report}; {@link #verify} runs the same steps for a dump just stored. Damage to the dump is
 * the report's verdict, never a failure of the route: the route fails only when the dump cannot be read at all (the
 * store is unreachable, the key is wrong).
 */
public final class VerifyPipeline {

    /** Exchange property carrying the {@link VerifyRun}. */
    public static final String RUN = "databaseDumpVerifyRun";
    static final int BATCH_ROWS = 10_000;
    static final int BATCH_BYTES = 8 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(VerifyPipeline.class);

    private final DumpStore store;
    private final Path tmpDir;
    private final List<RecipientStanzaReader> identities;
    private final ObjectMapper json;
    private final FailureMessages failures;
    private final RunLifecycle<VerifyRun> lifecycle;

    /**
     * @param identityFile the age identity file encrypted dumps are read with; without it, only their SHA-256
     * @param tmpDir       where a tenant dump's references wait for the rows they reference
     */
    public VerifyPipeline(DumpStore store, List<String> secrets, Optional<Path> identityFile, Path tmpDir,
            ObjectMapper json) {
        this.store = store;
        this.tmpDir = tmpDir;
        // Read once, at start: a file that cannot be read stops the application naming its setting.
        this.identities = identityFile.map(Age::identities).orElse(List.of());
        this.json = json;
        this.failures = new FailureMessages(secrets, "s3://" + store.bucket());
        this.lifecycle = new RunLifecycle<>("verification", "verifying", RUN, VerifyRun.class, failures);
    }

    /** Stops every running verification, when the application is shutting down. */
    public void abortRunning() {
        lifecycle.abortRunning();
    }

    /**
     * Finds the dump the header or the body names ({@code latest} when neither does), reads its checksum file and
     * opens it as a stream, and reads its metadata. The body becomes its rows, in batches, read as the split asks.
     */
    public Iterator<RowBatch> open(Exchange exchange) {
        return start(lifecycle.begin(exchange, new VerifyRun()), AskedDump.of(exchange));
    }

    /** Counts a batch of rows for the report; the reader has checked them already. */
    public void check(RowBatch batch, @ExchangeProperty(RUN) VerifyRun run) {
        tally(run, batch);
    }

    /** The report as the body: reads the rest of the object for its SHA-256 and gives the verdict. */
    public String report(@ExchangeProperty(RUN) VerifyRun run) throws JsonProcessingException {
        return json.writeValueAsString(finish(run));
    }

    /** Verifies a stored dump from start to end: the same steps as the route, for a dump just stored. */
    public VerifyReport verify(String key) {
        VerifyRun run = new VerifyRun();
        try {
            Iterator<RowBatch> batches = start(run, key);
            while (batches.hasNext()) {
                tally(run, batches.next());
            }
            return finish(run);
        } finally {
            run.close();
        }
    }

    public void failure(Exchange exchange) {
        lifecycle.failure(exchange);
    }

    public void fail(Exchange exchange) {
        lifecycle.fail(exchange);
    }

    public void close(Exchange exchange) {
        lifecycle.close(exchange);
        LogContext.forgetKey();
    }

    private void tally(VerifyRun run, RowBatch batch) {
        run.step = run.references == null ? "checking the rows" : "checking the rows and their references";
        try {
            run.tally(batch);
        } catch (IOException e) {
            throw failures.failed("checking the references of " + run.stored.key() + " in " + tmpDir, e);
        }
    }

    private Iterator<RowBatch> start(VerifyRun run, String asked) {
        run.step = "opening the dump";
        run.stored = AskedDump.open(store, failures, asked);
        String key = run.stored.key();
        LOG.info("Verifying s3://{}/{} ({} bytes)", store.bucket(), key, run.stored.size());
        if (run.stored.form().encrypted() && identities.isEmpty()) {
            LOG.info("s3://{}/{} is encrypted and dump.encryption.identity-file is not set: only the stored bytes'"
                    + " SHA-256 is checked", store.bucket(), key);
            run.documentChecked = false;
            return Collections.emptyIterator();
        }
        try {
            DocumentReader reader = new DocumentReader(run.stored.form().decode(run.stored.bytes(), identities));
            run.metadata = reader.open();
            if (run.metadata.scope() != null && run.metadata.scope().foreignKeys() != null) {
                run.references = new ReferenceCheck(run.metadata, tmpDir);
            }
            return new RowBatches(reader, BATCH_ROWS, BATCH_BYTES, run::found,
                    failure -> failures.failed("reading s3://" + store.bucket() + "/" + key, failure));
        } catch (DocumentProblem problem) {
            run.found(problem);
        } catch (SourceFailure e) {
            throw failures.failed("reading s3://" + store.bucket() + "/" + key, e);
        } catch (Age.WrongIdentityException e) {
            throw failures.failure(e.getMessage(), e);
        } catch (IOException e) {
            // The first bytes do not even decode (not gzip, say).
            run.found(new DocumentProblem("the stored bytes do not decode: " + e.getMessage(), null, e));
        }
        return Collections.emptyIterator();
    }

    private VerifyReport finish(VerifyRun run) {
        run.step = "checking the rest of the object and the references that waited";
        try {
            run.stored.drain();
        } catch (IOException e) {
            throw failures.failed("reading s3://" + store.bucket() + "/" + run.stored.key(), e);
        }
        String sha256 = run.stored.sha256();
        String expected = run.stored.expectedSha256();
        boolean sha256Ok = sha256.equals(expected);
        ReferenceCheck.Result references = null;
        if (run.references != null && run.problem == null) {
            try {
                references = run.references.finish();
            } catch (IOException e) {
                throw failures.failed("checking the references of " + run.stored.key() + " in " + tmpDir, e);
            }
            if (references.unresolved() > 0) {
                run.problem = references.problem();
            }
        }
        String problem = run.problem;
        if (problem == null && !sha256Ok) {
            problem = expected == null ? "there is no checksum file " + run.stored.key() + ".sha256"
                    : "the stored bytes' SHA-256 is " + sha256 + " where the checksum file says " + expected;
        }
        VerifyReport report = new VerifyReport(run.stored.key(), problem == null, run.stored.bytesRead(), sha256,
                expected, sha256Ok, run.stored.form().encrypted(), run.documentChecked,
                run.metadata == null ? null : run.metadata.formatVersion(),
                run.metadata == null ? null : run.metadata.exportedAt(), run.totalRows(), run.tables(),
                references == null ? null : new VerifyReport.References(references.foreignKeys(),
                        references.checked(), references.unresolved(), references.declared(), references.byKey()),
                problem);
        if (report.ok()) {
            LOG.info("Verified s3://{}/{}: {} tables, {} rows, sha256 {}", store.bucket(), report.key(),
                    report.tables().size(), report.totalRows(), sha256);
        } else {
            LOG.warn("s3://{}/{} did not verify: {}", store.bucket(), report.key(), problem);
        }
        // Beside the dump, so that a listing shows whether (and when) it last verified.
        try {
            store.facts().recordVerification(report.key(), json.writeValueAsString(report), report.ok(),
                    java.time.Instant.now());
        } catch (JsonProcessingException e) {
            LOG.warn("Could not write the report of s3://{}/{}: {}", store.bucket(), report.key(), e.getMessage());
        }
        return report;
    }
}
