package dev.databasedump.restore;

/** A restore that must not go ahead, said in one line before anything is written (or with everything rolled back). */
class RestoreRefusedException extends Exception {

    RestoreRefusedException(String message) {
        super(message);
    }
}
