package dev.databasedump.pipeline;

import dev.databasedump.database.RowSink;
import dev.databasedump.database.TablePiece;
import dev.databasedump.document.PieceSpool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Where one piece's rows go as they are read: its spool, each row counted; the reading stops at the next row once
 * another piece failed or the store refused a part, since the dump cannot succeed then.
 */
final class PieceRows implements RowSink {

    private final TablePiece piece;
    private final PieceSpool spool;
    private final DumpRun run;
    private final FailureMessages failures;

    PieceRows(TablePiece piece, PieceSpool spool, DumpRun run, FailureMessages failures) {
        this.piece = piece;
        this.spool = spool;
        this.run = run;
        this.failures = failures;
    }

    @Override
    public void accept(byte[] row, int offset, int length) throws IOException {
        if (run.failing) {
            throw new DumpFailedException("stopped: another piece failed", null);
        }
        RuntimeException refused = run.upload.failure();
        if (refused != null) {
            throw run.failed(failures.toFailure(refused));
        }
        spool.row(row, offset, length);
        run.progress.rowDone();
    }

    /** The columns of the row just read whose value is JSON {@code null}, as their positions. */
    @Override
    public void jsonNulls(byte[] positions, int offset, int length) {
        for (String position : new String(positions, offset, length, StandardCharsets.US_ASCII).split(",")) {
            spool.jsonNull(piece.table().columns().get(Integer.parseInt(position)).name());
        }
    }
}
