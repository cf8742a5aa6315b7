package io.kinesisbridge.source.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the bridge writes itself: the dead-letter, spool and persisted-stream directories and the tail checkpoint
 * file. The tailer never reads them: a glob that matched the dead-letter directory made the bridge feed on its own
 * dead letters (and write more of them) until rotation deleted the oldest.
 *
 * @param directories every file under them is the bridge's own
 * @param files       these files and their {@code .tmp} siblings are the bridge's own
 * @param typicalNames names the bridge writes in {@code directories} (such as {@code logs.ndjson}), for the
 *                     start-up check of globs that match nothing yet
 */
public record OwnOutput(List<Path> directories, List<Path> files, List<String> typicalNames) {

    private static final int MAX_FILES_LOOKED_AT = 1000;

    public OwnOutput {
        directories = directories.stream().map(OwnOutput::canonical).toList();
        files = files.stream().map(OwnOutput::canonical).toList();
        typicalNames = List.copyOf(typicalNames);
    }

    public static OwnOutput none() {
        return new OwnOutput(List.of(), List.of(), List.of());
    }

    /** Whether {@code file} is, or lies under, something the bridge writes. */
    public boolean contains(Path file) {
        Path p = canonical(file);
        for (Path f : files) {
            if (p.equals(f) || p.equals(f.resolveSibling(f.getFileName() + ".tmp"))) {
                return true;
            }
        }
        return directories.stream().anyMatch(p::startsWith);
    }

    /**
     * The first own file (existing, or named as the bridge would name one) that {@code globs} would match, with
     * the directory or file it belongs to.
     */
    public Optional<String> matchedBy(GlobScanner globs) {
        for (Path f : files) {
            for (Path candidate : List.of(f, f.resolveSibling(f.getFileName() + ".tmp"))) {
                if (globs.matches(candidate)) {
                    return Optional.of(candidate.toString());
                }
            }
        }
        for (Path dir : directories) {
            List<Path> candidates = new ArrayList<>();
            typicalNames.forEach(n -> candidates.add(dir.resolve(n)));
            candidates.addAll(existingFiles(dir));
            for (Path candidate : candidates) {
                if (globs.matches(candidate)) {
                    return Optional.of(candidate + " (under " + dir + ")");
                }
            }
        }
        return Optional.empty();
    }

    private static List<Path> existingFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir, 4)) {
            return walk.filter(Files::isRegularFile).limit(MAX_FILES_LOOKED_AT).toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    /** Absolute and normalized, with symbolic links in existing parents resolved, so that two names of a place compare equal. */
    private static Path canonical(Path path) {
        Path p = path.toAbsolutePath().normalize();
        Path existing = p;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return p;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(p));
        } catch (IOException e) {
            return p;
        }
    }
}
