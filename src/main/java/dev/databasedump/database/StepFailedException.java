package dev.databasedump.database;

/**
 * A step of working with the database that failed: {@link #step} says which ("locking table public.x"), the cause
 * what the database said. The pipeline turns it into the one line a caller sees.
 */
public class StepFailedException extends Exception {

    private final String step;

    public StepFailedException(String step, Throwable cause) {
        super(step + " failed: " + cause.getMessage(), cause);
        this.step = step;
    }

    protected StepFailedException(String step, String problem) {
        super(problem);
        this.step = step;
    }

    /** A step that failed for a reason of ours, not the database's: {@code problem} is the whole explanation. */
    public static StepFailedException because(String step, String problem) {
        return new StepFailedException(step, problem);
    }

    public String step() {
        return step;
    }
}
