package dev.databasedump.document;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The temporary files of one dump in {@code dump.tmp-dir}, all named {@code database-dump-<id>-...}, beside a lock
 * file {@code database-dump-<id>.lock} that this process holds while the dump runs. The operating system releases the
 * lock when the process dies, even by {@code kill -9}, so {@link #sweep} can tell a dead dump's files from a live
 * one's and delete them.
 */
public final class TempFiles implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TempFiles.class);
    private static final String PREFIX = "database-dump-";
    private static final String LOCK = ".lock";
    private static final Pattern OURS = Pattern.compile(Pattern.quote(PREFIX) + "(?:([0-9a-f]{32})(?:\\.lock|-.*)|.*\\.tmp)");
    /** Dumps of this JVM: their locks are never tried, since closing a channel can release a lock of the process. */
    private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final String id;
    private final Path lockFile;
    private final FileChannel lockChannel;

    private TempFiles(Path dir, String id, Path lockFile, FileChannel lockChannel) {
        this.dir = dir;
        this.id = id;
        this.lockFile = lockFile;
        this.lockChannel = lockChannel;
    }

    /** Takes a new set of files in {@code dir}, locked for as long as this process runs or until {@link #close}. */
    public static TempFiles claim(Path dir) throws IOException {
        String id = UUID.randomUUID().toString().replace("-", "");
        Path lockFile = dir.resolve(PREFIX + id + LOCK);
        // Locked under a name no sweep looks at, then renamed: a sweep never sees the lock file unlocked.
        Path locking = dir.resolve(PREFIX + id + ".locking");
        FileChannel channel = FileChannel.open(locking, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            channel.lock();
            Files.move(locking, lockFile, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(locking);
            throw e;
        }
        LIVE.add(id);
        return new TempFiles(dir, id, lockFile, channel);
    }

    /** A new empty file of this dump; {@code kind} and {@code suffix} only help a reader of the directory. */
    public Path create(String kind, String suffix) throws IOException {
        return Files.createTempFile(dir, PREFIX + id + "-" + kind + "-", suffix);
    }

    /** Deletes every file of this dump that is still there, then the lock. */
    @Override
    public void close() {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + id + "-*")) {
            for (Path file : files) {
                deleteQuietly(file);
            }
        } catch (IOException e) {
            LOG.warn("Could not list {} to delete the dump's temporary files: {}", dir, e.getMessage());
        }
        try {
            lockChannel.close();
        } catch (IOException e) {
            LOG.debug("Closing the lock file failed: {}", e.getMessage());
        }
        deleteQuietly(lockFile);
        LIVE.remove(id);
    }

    /**
     * Deletes what dumps that died left in {@code dir}: the files of every dump whose lock no process holds, and files
     * of our naming without a lock (left by an older version) once older than {@code staleAfter}.
     */
    public static Swept sweep(Path dir, Duration staleAfter, Clock clock) {
        long files = 0;
        long bytes = 0;
        FileTime oldest = FileTime.from(clock.instant().minus(staleAfter));
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, PREFIX + "*")) {
            for (Path file : entries) {
                Matcher name = OURS.matcher(file.getFileName().toString());
                if (!name.matches() || !Files.isRegularFile(file)) {
                    continue;
                }
                String owner = name.group(1);
                boolean dead = owner == null ? Files.getLastModifiedTime(file).compareTo(oldest) < 0
                        : !LIVE.contains(owner) && !isLocked(dir.resolve(PREFIX + owner + LOCK));
                if (dead) {
                    long size = Files.size(file);
                    if (Files.deleteIfExists(file)) {
                        files++;
                        bytes += size;
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not look for temporary files left in {}: {}", dir, e.getMessage());
        }
        return new Swept(files, bytes);
    }

    // A lock file that is gone, or whose lock can be taken, belongs to a dump that has ended.
    private static boolean isLocked(Path lockFile) throws IOException {
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            return lock == null;
        } catch (OverlappingFileLockException e) {
            return true;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not delete temporary file {}: {}", file, e.getMessage());
        }
    }

    /** What a sweep removed. */
    public record Swept(long files, long bytes) {
    }
}
