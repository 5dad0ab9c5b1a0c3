package dev.databasedump.document;

/**
 * What is wrong with a stored dump's document, found while reading it: it does not parse, ends early, or does not
 * hold what its metadata says. Names the table where there is one.
 */
public class DocumentProblem extends Exception {

    private final String table;

    public DocumentProblem(String message, String table, Throwable cause) {
        super(message, cause);
        this.table = table;
    }

    /** The table the problem is in, or null. */
    public String table() {
        return table;
    }
}
