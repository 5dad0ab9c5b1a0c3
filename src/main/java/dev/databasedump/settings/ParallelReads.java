package dev.databasedump.settings;

/**
 * How many connections read at once, all in the one snapshot, and how finely large tables are cut for them.
 *
 * @param parallelism connections reading at once, the dump's own included ({@code dump.parallelism})
 * @param pieceRows   a table of more rows than this, with a one-column integer primary key, is read in key ranges of
 *                    about this many rows each ({@code dump.piece-rows})
 */
public record ParallelReads(int parallelism, long pieceRows) {

    static final int MAX_PARALLELISM = 32;

    public ParallelReads {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new InvalidSettingException("dump.parallelism",
                    "must be from 1 to " + MAX_PARALLELISM + ", got " + parallelism);
        }
        if (pieceRows < 1) {
            throw new InvalidSettingException("dump.piece-rows", "must be a positive whole number, got " + pieceRows);
        }
    }

    /**
     * The default: one connection per core of this machine, at least 2 (the database usually has cores of its own)
     * and at most 8 (each one is a database backend running {@code to_json}).
     */
    public static int defaultParallelism() {
        return Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));
    }
}
