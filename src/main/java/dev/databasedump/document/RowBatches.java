package dev.databasedump.document;

import java.io.IOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A document's rows as an iterator of batches, for a streaming split: each batch is read when the split asks for
 * it. What is wrong with the document goes to {@code problems}, which decides whether reading stops quietly (verify
 * reports it) or fails (restore); a failure reading the stored bytes is rethrown as {@code sourceFailures} says.
 */
public final class RowBatches implements Iterator<RowBatch> {

    /** What happens when the document is damaged: return to stop reading quietly, or throw to fail. */
    @FunctionalInterface
    public interface Problems {
        void found(DocumentProblem problem);
    }

    /** What a failure to read the stored bytes becomes. */
    @FunctionalInterface
    public interface SourceFailures {
        RuntimeException failed(IOException failure);
    }

    private final DocumentReader reader;
    private final int maxRows;
    private final int maxBytes;
    private final Problems problems;
    private final SourceFailures sourceFailures;
    private RowBatch next;
    private boolean done;

    public RowBatches(DocumentReader reader, int maxRows, int maxBytes, Problems problems,
            SourceFailures sourceFailures) {
        this.reader = reader;
        this.maxRows = maxRows;
        this.maxBytes = maxBytes;
        this.problems = problems;
        this.sourceFailures = sourceFailures;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            try {
                next = reader.next(maxRows, maxBytes);
            } catch (DocumentProblem problem) {
                done = true;
                problems.found(problem);
            } catch (IOException failure) {
                done = true;
                throw sourceFailures.failed(failure);
            }
            done = next == null;
        }
        return next != null;
    }

    @Override
    public RowBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        RowBatch batch = next;
        next = null;
        return batch;
    }
}
