package dev.databasedump.jobs;

/**
 * Who asked for a dump, and through which trigger: an admin's subject and email over HTTP, or the schedule or
 * run-once. The trigger labels the dump's metrics ({@code http}, {@code schedule}, {@code run-once}).
 */
public record Requester(String subject, String email, String trigger) {

    public static final Requester SCHEDULE = new Requester("schedule", "", "schedule");
    public static final Requester RUN_ONCE = new Requester("run-once", "", "run-once");

    /** An admin calling the HTTP API. */
    public static Requester admin(String subject, String email) {
        return new Requester(subject, email, "http");
    }
}
