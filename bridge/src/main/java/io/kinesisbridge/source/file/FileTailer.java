package io.kinesisbridge.source.file;

import io.kinesisbridge.component.KinesisPutConstants;
import io.kinesisbridge.health.BridgeHealth;
import io.kinesisbridge.put.RecordResult;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails the files a list of globs matches, for the file-tail route: each poll ({@link #pending()}) looks for
 * new, rotated and truncated files and hands out batches of new records; {@link #commit(Exchange)} moves a
 * file's checkpoint once kinesis-put acknowledged (or dead-lettered) every record of a batch, and writes the
 * checkpoint file. Delivery is at least once: after a crash, what was read and not acknowledged is read again.
 *
 * <p>Rotation: a file renamed away (rename-and-create) is finished through the handle kept open on it, then
 * dropped; a file truncated in place (copy-truncate) is first finished from its copy next to it (same first
 * bytes, at least as long as what was read), then read again from its start. A restart finds a file renamed
 * while the bridge was down by its identity in the globs' directories.
 *
 * <p>It is a little over 500 lines because scanning, rotation and checkpoints work on the same set of open files
 * under one poll; the reading itself is in {@link TailedFile}, {@link LineReader} and {@link MultilineRecords}.
 */
public final class FileTailer implements AutoCloseable, Service {

    public static final String BATCH_PROPERTY = "kinesisBridgeTailBatch";
    public static final String HEALTH_PART = "file-tail";
    private static final Logger LOG = LoggerFactory.getLogger(FileTailer.class);
    /** Batches per file per poll, so that one busy file does not hold back the others or the next scan. */
    private static final int MAX_BATCHES_PER_FILE = 20;

    private final TailSettings settings;
    private final GlobScanner scanner;
    private final TailCheckpoints store;
    private final TailCheckpoints.Scope scope;
    private final RegularFiles regularFiles;
    private final FileDeadLetters deadLetters;
    private final BridgeHealth health;
    private final Map<String, TailedFile> files = new LinkedHashMap<>();
    /** Paths not tailed (links, the bridge's own output), each warned about once while it stays so. */
    private final Map<Path, String> refused = new HashMap<>();

    private Map<String, TailCheckpoint> restored;
    private boolean firstRun;
    private boolean scannedOnce;

    public FileTailer(TailSettings settings, FileDeadLetters deadLetters, BridgeHealth health) {
        this.settings = settings;
        this.scanner = new GlobScanner(settings.paths());
        this.store = new TailCheckpoints(settings.checkpointFile());
        this.scope = TailCheckpoints.Scope.of(settings);
        this.regularFiles = new RegularFiles(settings.allowLinks());
        this.deadLetters = deadLetters;
        this.health = health;
    }

    /**
     * Reads the checkpoint file once. Checkpoints written for another stream or format are not used (the tailer
     * starts as on a first run); when the globs changed, those of files they no longer match are dropped.
     */
    private void loadCheckpoints() {
        if (restored != null) {
            return;
        }
        Optional<TailCheckpoints.Saved> loaded = store.load();
        firstRun = loaded.isEmpty();
        restored = new LinkedHashMap<>();
        if (loaded.isEmpty()) {
            return;
        }
        Optional<TailCheckpoints.Scope> was = loaded.get().scope();
        if (was.isPresent()
                && (!was.get().stream().equals(scope.stream())
                        || !was.get().format().equals(scope.format()))) {
            LOG.warn(
                    "File tail: the checkpoints in {} were written for stream {} in format {}, not stream {} in format {}:"
                            + " they are not used, files are read as on a first run (bridge.file.start-at={})",
                    store.file(),
                    was.get().stream(),
                    was.get().format(),
                    scope.stream(),
                    scope.format(),
                    settings.startAtEnd() ? "end" : "beginning");
            firstRun = true;
            return;
        }
        boolean samePaths = was.isEmpty() || was.get().paths().equals(scope.paths());
        List<String> dropped = new ArrayList<>();
        for (TailCheckpoint c : loaded.get().files()) {
            if (samePaths || scanner.matches(Path.of(c.path()))) {
                restored.put(c.fileKey(), c);
            } else {
                dropped.add(c.path());
            }
        }
        if (!dropped.isEmpty()) {
            LOG.info(
                    "File tail: bridge.file.paths changed; {} checkpointed file(s) it no longer matches are forgotten: {}",
                    dropped.size(),
                    dropped);
        }
        if (!restored.isEmpty()) {
            LOG.info("File tail: resuming {} file(s) from {}", restored.size(), store.file());
        }
    }

    /** A poll: scans the globs, then hands out the batches ready now, file after file. */
    public synchronized Iterator<TailBatch> pending() {
        if (scanner.isEmpty()) {
            return Collections.emptyIterator();
        }
        loadCheckpoints();
        scan();
        files.values().forEach(f -> f.position = f.committed);
        List<TailedFile> order = new ArrayList<>(files.values());
        return new Iterator<>() {
            int index;
            int batchesOfCurrent;
            TailBatch next;

            @Override
            public boolean hasNext() {
                synchronized (FileTailer.this) {
                    while (next == null && index < order.size()) {
                        TailedFile f = order.get(index);
                        Optional<TailBatch> b = batchesOfCurrent < MAX_BATCHES_PER_FILE && files.get(f.fileKey) == f
                                ? read(f)
                                : Optional.empty();
                        if (b.isPresent() && b.get().records().isEmpty()) {
                            // blank or too-long lines only: nothing to send, the checkpoint moves past them
                            committed(f, b.get());
                            batchesOfCurrent++;
                        } else if (b.isPresent()) {
                            next = b.get();
                            batchesOfCurrent++;
                        } else {
                            index++;
                            batchesOfCurrent = 0;
                        }
                    }
                    return next != null;
                }
            }

            @Override
            public TailBatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                TailBatch b = next;
                next = null;
                return b;
            }
        };
    }

    private Optional<TailBatch> read(TailedFile f) {
        long now = System.nanoTime();
        boolean finished =
                !f.inGlob && now - f.lastChangeNanos >= settings.rotateWait().toNanos();
        boolean quiet = now - f.lastChangeNanos >= settings.multilineFlush().toNanos();
        String name = f.path.toString();
        try {
            Optional<TailBatch> batch =
                    f.nextBatch(settings, finished, quiet, line -> deadLetters.lineTooLong(name, line));
            health.up(HEALTH_PART);
            return batch;
        } catch (IOException | RuntimeException e) {
            LOG.warn("File tail: cannot read {}: {}; trying again at the next poll", f.path, e.toString());
            return Optional.empty();
        } catch (Error e) {
            // the timer goes on polling; until a read succeeds, readiness says why nothing is read
            LOG.error(
                    "File tail: {} while reading {}; trying again at the next poll",
                    e.getClass().getSimpleName(),
                    f.path);
            health.down(HEALTH_PART, e.getClass().getSimpleName() + " while reading " + name);
            return Optional.empty();
        }
    }

    /** The route's step before kinesis-put: the batch's records become the body. */
    public void prepare(Exchange exchange) {
        Message m = exchange.getMessage();
        TailBatch batch = m.getBody(TailBatch.class);
        exchange.setProperty(BATCH_PROPERTY, batch);
        m.setHeader(Exchange.FILE_NAME, batch.path().toString());
        m.setBody(batch.records());
    }

    /** The route's step after kinesis-put: every record has its result, so the checkpoint moves past the batch. */
    public synchronized void commit(Exchange exchange) {
        TailBatch batch = exchange.getProperty(BATCH_PROPERTY, TailBatch.class);
        List<?> results = exchange.getMessage().getHeader(KinesisPutConstants.RESULTS, List.class);
        if (batch == null
                || results == null
                || results.size() != batch.records().size()
                || results.stream().anyMatch(r -> !(r instanceof RecordResult))) {
            throw new IllegalStateException(
                    "file-tail: commit without the results of kinesis-put (batch=true) for every record");
        }
        TailedFile f = files.get(batch.fileKey());
        if (f == null || f.committed != batch.start()) {
            return; // the file was truncated or dropped meanwhile: its new state is already right
        }
        committed(f, batch);
    }

    private void committed(TailedFile f, TailBatch batch) {
        f.committed = batch.end();
        try {
            f.extendFingerprint();
        } catch (IOException e) {
            LOG.debug("File tail: fingerprint of {} not extended: {}", f.path, e.getMessage());
        }
        save();
    }

    // ---- scanning ------------------------------------------------------------------------------------------

    private void scan() {
        Set<String> seen = new HashSet<>();
        boolean changed = false;
        Set<Path> refusedNow = new HashSet<>();
        for (Path path : scanner.scan()) {
            String key;
            long size;
            try {
                key = TailedFile.keyOf(path, regularFiles);
                size = regularFiles.attributes(path).size();
            } catch (IOException e) {
                continue;
            }
            TailedFile f = files.get(key);
            if (f == null) {
                Optional<String> refusal = refusal(path);
                if (refusal.isPresent()) {
                    refusedNow.add(path);
                    if (!refusal.get().equals(refused.put(path, refusal.get()))) {
                        LOG.warn("File tail: {} is not tailed: {}", path, refusal.get());
                    }
                    continue;
                }
                Optional<TailedFile> opened = TailedFile.open(path, regularFiles);
                if (opened.isEmpty() || !opened.get().fileKey.equals(key)) {
                    opened.ifPresent(TailedFile::close);
                    continue;
                }
                f = opened.get();
                start(f, size);
                files.put(key, f);
                changed = true;
            } else if (!f.path.equals(path) && refusal(path).isPresent()) {
                continue; // a link to a tailed file, or a name under the bridge's own output: the file is known by its
                // own name
            } else if (!f.path.equals(path)) {
                LOG.info("File tail: {} is now {}", f.path, path);
                f.path = path;
                changed = true;
            }
            seen.add(key);
            f.inGlob = true;
            changed |= checkTruncation(f, size, seen);
            if (size != f.lastSize) {
                f.lastSize = size;
                f.lastChangeNanos = System.nanoTime();
            }
        }
        for (Iterator<TailedFile> it = files.values().iterator(); it.hasNext(); ) {
            TailedFile f = it.next();
            if (seen.contains(f.fileKey)) {
                continue;
            }
            if (f.inGlob) {
                LOG.info("File tail: {} was renamed away or deleted; finishing it", f.path);
                f.inGlob = false;
                f.lastChangeNanos = System.nanoTime();
            }
            try {
                long size = f.size();
                if (size != f.lastSize) {
                    f.lastSize = size;
                    f.lastChangeNanos = System.nanoTime();
                }
                boolean finished = System.nanoTime() - f.lastChangeNanos
                        >= settings.rotateWait().toNanos();
                if (finished && f.committed >= size) {
                    LOG.info("File tail: finished {}", f.path);
                    f.close();
                    it.remove();
                    changed = true;
                }
            } catch (IOException e) {
                f.close();
                it.remove();
                changed = true;
            }
        }
        refused.keySet().retainAll(refusedNow);
        if (!scannedOnce) {
            scannedOnce = true;
            findRotatedWhileDown();
            changed = true; // the checkpoint file now exists: files that appear later are new, read from their start
        }
        if (changed) {
            save();
        }
    }

    /** Why {@code path} is not tailed: not a regular file, a link (unless allowed), or the bridge's own output. */
    private Optional<String> refusal(Path path) {
        if (settings.ownOutput().contains(path)) {
            return Optional.of("it is the bridge's own output (dead letters, spool, checkpoints or persisted streams);"
                    + " narrow bridge.file.paths");
        }
        try {
            return regularFiles.refusal(path, false);
        } catch (IOException e) {
            return Optional.of("it cannot be looked at: " + e.getMessage());
        }
    }

    /** Where a file seen for the first time starts: its checkpoint, its end (first run, start-at end), or 0. */
    private void start(TailedFile f, long size) {
        TailCheckpoint c = restored.remove(f.fileKey);
        try {
            if (c != null && c.offset() <= size && f.startsWith(c.fingerprint(), c.fingerprintLength())) {
                f.committed = c.offset();
                f.fingerprint = c.fingerprint();
                f.fingerprintLength = c.fingerprintLength();
            } else if (c != null) {
                LOG.info(
                        "File tail: {} is not the file its checkpoint was for (truncated or a new file with a reused"
                                + " inode); reading it from the start",
                        f.path);
                recoverCopy(f, c.offset(), c.fingerprint(), c.fingerprintLength(), Set.of());
            } else if (firstRun && !scannedOnce && settings.startAtEnd()) {
                f.committed = f.lineStartBefore(size);
            }
            f.extendFingerprint();
        } catch (IOException e) {
            LOG.warn("File tail: cannot read {}: {}", f.path, e.getMessage());
        }
        f.position = f.committed;
        LOG.info("File tail: following {} from byte {}", f.path, f.committed);
    }

    /**
     * A truncation is noticed also before anything of the file was acknowledged (a multi-line record waits up to
     * bridge.file.multiline.flush-ms): what the file held then is finished from its copy.
     */
    private boolean checkTruncation(TailedFile f, long size, Set<String> seen) {
        try {
            if (f.truncatedSinceLastScan(size)) {
                LOG.info("File tail: {} was truncated (copy-truncate rotation?); reading it from the start", f.path);
                long offset = f.committed;
                String seenFingerprint = f.seenFingerprint();
                int seenLength = f.seenLength();
                f.restart();
                recoverCopy(f, offset, seenFingerprint, seenLength, seen);
                return true;
            }
        } catch (IOException e) {
            LOG.warn("File tail: cannot read {}: {}", f.path, e.getMessage());
        }
        return false;
    }

    /**
     * After a truncation: a copy beside the file that starts with the same bytes (its first {@code fingerprintLength},
     * as last seen) and holds at least what was acknowledged is where the lines not yet sent went; it is finished
     * from that offset.
     */
    private void recoverCopy(
            TailedFile truncated, long offset, String fingerprint, int fingerprintLength, Set<String> seen) {
        if (offset == 0 && fingerprintLength == 0) {
            return; // it was empty
        }
        Path dir = truncated.path.toAbsolutePath().getParent();
        String name = truncated.path.getFileName().toString();
        Optional<TailedFile> best = Optional.empty();
        FileTime bestTime = null;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(
                dir,
                p -> p.getFileName().toString().startsWith(name)
                        && !p.getFileName().toString().equals(name)
                        && Files.isRegularFile(p))) {
            for (Path p : stream) {
                String key = TailedFile.keyOf(p, regularFiles);
                if (files.containsKey(key)
                        || key.equals(truncated.fileKey)
                        || Files.size(p) < Math.max(offset, fingerprintLength)
                        || refusal(p).isPresent()) {
                    continue;
                }
                Optional<TailedFile> candidate = TailedFile.open(p, regularFiles);
                if (candidate.isEmpty()) {
                    continue;
                }
                FileTime time = Files.getLastModifiedTime(p);
                if (candidate.get().startsWith(fingerprint, fingerprintLength)
                        && (bestTime == null || time.compareTo(bestTime) > 0)) {
                    best.ifPresent(TailedFile::close);
                    best = candidate;
                    bestTime = time;
                } else {
                    candidate.get().close();
                }
            }
        } catch (IOException e) {
            LOG.warn("File tail: cannot look for the copy of {}: {}", truncated.path, e.getMessage());
        }
        if (best.isEmpty()) {
            LOG.warn(
                    "File tail: {} was truncated at byte {} and no copy of it was found; lines written after the last"
                            + " read and before the truncation are not in Kinesis",
                    truncated.path,
                    offset);
            return;
        }
        TailedFile copy = best.get();
        copy.committed = offset;
        copy.position = offset;
        try {
            copy.extendFingerprint();
        } catch (IOException e) {
            LOG.debug("File tail: fingerprint of {} not taken: {}", copy.path, e.getMessage());
        }
        copy.inGlob = seen.contains(copy.fileKey);
        copy.lastChangeNanos = System.nanoTime();
        files.put(copy.fileKey, copy);
        LOG.info("File tail: finishing {} from its copy {} at byte {}", truncated.path, copy.path, offset);
    }

    /** Checkpointed files no glob matched at the first scan: renamed while the bridge was down, or deleted. */
    private boolean findRotatedWhileDown() {
        if (restored.isEmpty()) {
            return false;
        }
        Set<Path> dirs = new HashSet<>(scanner.baseDirectories());
        restored.values().forEach(c -> {
            Path parent = Path.of(c.path()).toAbsolutePath().getParent();
            if (parent != null) {
                dirs.add(parent);
            }
        });
        for (Path dir : dirs) {
            if (restored.isEmpty() || !Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, Files::isRegularFile)) {
                for (Path p : stream) {
                    String key = TailedFile.keyOf(p, regularFiles);
                    TailCheckpoint c = restored.get(key);
                    if (c == null || files.containsKey(key) || refusal(p).isPresent()) {
                        continue;
                    }
                    Optional<TailedFile> opened = TailedFile.open(p, regularFiles);
                    if (opened.isEmpty()) {
                        continue;
                    }
                    TailedFile f = opened.get();
                    if (f.size() >= c.offset() && f.startsWith(c.fingerprint(), c.fingerprintLength())) {
                        f.committed = c.offset();
                        f.position = c.offset();
                        f.fingerprint = c.fingerprint();
                        f.fingerprintLength = c.fingerprintLength();
                        f.inGlob = false;
                        f.lastChangeNanos = System.nanoTime();
                        files.put(key, f);
                        restored.remove(key);
                        LOG.info(
                                "File tail: {} was renamed to {} while the bridge was down; finishing it", c.path(), p);
                    } else {
                        f.close();
                    }
                }
            } catch (IOException e) {
                LOG.warn("File tail: cannot look into {}: {}", dir, e.getMessage());
            }
        }
        restored.values()
                .forEach(c -> LOG.warn(
                        "File tail: {} (checkpointed at byte {}) is gone; it is forgotten", c.path(), c.offset()));
        restored.clear();
        return true;
    }

    private void save() {
        List<TailCheckpoint> all = new ArrayList<>();
        files.values().forEach(f -> all.add(f.checkpoint()));
        if (restored != null) {
            all.addAll(restored.values());
        }
        store.save(scope, all);
    }

    @Override
    public void start() {}

    /** Camel stops it with the context: the open handles are closed; a new poll starts over from the checkpoints. */
    @Override
    public void stop() {
        close();
    }

    @Override
    public synchronized void close() {
        files.values().forEach(TailedFile::close);
        files.clear();
        restored = null;
        scannedOnce = false;
    }
}
