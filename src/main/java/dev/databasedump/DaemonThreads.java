package dev.databasedump;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Background workers that never keep the JVM alive, named so they are found in a thread dump. */
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

    /**
     * Up to {@code size} workers for work that comes now and then: each ends after half a minute without work, so an
     * idle pool holds no thread and needs no closing.
     */
    public static ExecutorService occasional(String name, int size) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** {@code size} workers, named {@code name-1}, {@code name-2}, ... */
    public static ExecutorService pool(String name, int size) {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(size, task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }
}
