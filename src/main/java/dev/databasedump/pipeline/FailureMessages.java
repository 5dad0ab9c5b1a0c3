package dev.databasedump.pipeline;

import dev.databasedump.database.StepFailedException;
import dev.databasedump.storage.StoreException;

import java.util.List;

import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns any failure into one line a caller can read: what step failed and the first line of the underlying error,
 * with every configured secret masked.
 */
public final class FailureMessages {

    /** Exchange property with the failure of a run, as one clean line, for the steps that report it. */
    public static final String FAILURE = "databaseDumpFailure";

    private final List<String> secrets;
    private final String storageTarget;

    /** @param storageTarget where dumps go, e.g. {@code s3://import-exports}, named in storage errors */
    public FailureMessages(List<String> secrets, String storageTarget) {
        this.secrets = secrets.stream().filter(s -> s != null && !s.isEmpty()).toList();
        this.storageTarget = storageTarget;
    }

    public DumpFailedException toFailure(Throwable failure) {
        // Camel wraps what a step threw inside the split ("Multicast processing failed ..."): the step's line counts.
        Throwable ours = find(failure, DumpFailedException.class);
        if (ours != null) {
            return (DumpFailedException) ours;
        }
        return new DumpFailedException(describe(failure), failure);
    }

    public String describe(Throwable failure) {
        Throwable ours = find(failure, DumpFailedException.class);
        if (ours == null) {
            ours = find(failure, StoreException.class);
        }
        if (ours != null) {
            return redact(firstLine(ours.getMessage()));
        }
        Throwable sdk = find(failure, SdkException.class);
        if (sdk != null) {
            return redact("storing the dump in " + storageTarget + " failed: " + firstLine(messageOf(sdk)));
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
            root = root.getCause();
        }
        return redact(firstLine(root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName()));
    }

    /**
     * A step's own context in front of the first line of its cause: "reading table public.x failed: ...". A store
     * error already says what failed and what to check, so it is shown as it is.
     */
    public DumpFailedException failed(String step, Throwable cause) {
        Throwable store = find(cause, StoreException.class);
        if (store != null) {
            return new DumpFailedException(redact(firstLine(store.getMessage())), cause);
        }
        return new DumpFailedException(redact(step + " failed: " + firstLine(messageOf(cause))), cause);
    }

    /** A database step that failed, as its step names it. */
    public DumpFailedException failed(StepFailedException step) {
        return failed(step.step(), step.getCause() != null ? step.getCause() : step);
    }

    /** A failure whose line is {@code message} as it is, secrets masked. */
    public DumpFailedException failure(String message, Throwable cause) {
        return new DumpFailedException(redact(message), cause);
    }

    private static String messageOf(Throwable cause) {
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    private static Throwable find(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }

    /**
     * Whether {@code failure} is one a step foresaw: ours (a {@link DumpFailedException}, a store's error), or the
     * store client's, all of which already say what failed.
     */
    static boolean foreseen(Throwable failure) {
        return failure == null || find(failure, DumpFailedException.class) != null
                || find(failure, StoreException.class) != null || find(failure, SdkException.class) != null
                || find(failure, StepFailedException.class) != null;
    }

    /**
     * What a caller is told of a failure nobody foresaw: the first line of the innermost message (never Camel's
     * wrapping, never a class name), or, for a programming error whose message is about our code, that it was one.
     */
    static String unforeseen(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root.getMessage() == null || root instanceof NullPointerException || root instanceof ClassCastException
                || root instanceof IndexOutOfBoundsException || root instanceof UnsupportedOperationException) {
            return "an internal error (the log has its detail)";
        }
        return firstLine(root.getMessage());
    }

    /** The first line of a message, stripped: what a caller sees of a multi-line error. */
    public static String firstLine(String message) {
        String line = message.strip();
        int newline = line.indexOf('\n');
        return newline < 0 ? line : line.substring(0, newline).strip();
    }

    private String redact(String message) {
        String redacted = message;
        for (String secret : secrets) {
            redacted = redacted.replace(secret, "***");
        }
        return redacted;
    }
}
