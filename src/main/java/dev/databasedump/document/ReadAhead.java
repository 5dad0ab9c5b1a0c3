package dev.databasedump.document;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads the next items of an iterator on a thread of its own while the caller works on the current one: a restore's
 * batches are read, decompressed and parsed while the database loads the batch before. At most {@code depth} items
 * wait, so memory stays bounded. A failure of the reading thread comes out of {@link #hasNext} on the caller's thread,
 * as the iterator threw it; {@link #close} stops the reading.
 *
 * @param <T> the items
 */
public final class ReadAhead<T> implements Iterator<T>, AutoCloseable {

    private static final Object END = new Object();

    private final BlockingQueue<Object> ready;
    private final Thread reader;
    private Object next;

    public ReadAhead(Iterator<T> source, int depth, String threadName) {
        this.ready = new ArrayBlockingQueue<>(depth);
        this.reader = new Thread(() -> {
            try {
                while (source.hasNext()) {
                    ready.put(source.next());
                }
                ready.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                ready.clear();
                ready.offer(new Failure(e));
            }
        }, threadName);
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            try {
                next = ready.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the next batch", e);
            }
        }
        if (next instanceof Failure failure) {
            next = END;
            if (failure.cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw (Error) failure.cause;
        }
        return next != END;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T item = (T) next;
        next = null;
        return item;
    }

    /** Stops the reading thread; whatever it read and nobody took is dropped. */
    @Override
    public void close() {
        reader.interrupt();
        ready.clear();
    }

    private record Failure(Throwable cause) {
    }
}
