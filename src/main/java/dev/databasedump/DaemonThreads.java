package dev.databasedump;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A single background worker that never keeps the JVM alive, named so it is found in a thread dump. */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    public static ExecutorService singleWorker(String name) {
        return Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
    }
}
