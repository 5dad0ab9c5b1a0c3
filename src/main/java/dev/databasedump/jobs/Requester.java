package dev.databasedump.jobs;

/** Who asked for a dump: an admin's subject and email, or "schedule". */
public record Requester(String subject, String email) {

    public static final Requester SCHEDULE = new Requester("schedule", "");
}
