package dev.databasedump.jobs;

/** Who asked for a dump: an admin's subject and email, "schedule" or "run-once". */
public record Requester(String subject, String email) {

    public static final Requester SCHEDULE = new Requester("schedule", "");
    public static final Requester RUN_ONCE = new Requester("run-once", "");
}
