package io.kinesisbridge.source.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Which files the file sources read: regular files only, and, unless {@code allowLinks}, not through a symbolic
 * link (a link dropped into the inbox or matched by a tail glob could point anywhere the bridge may read, such as
 * {@code /etc/shadow}). Files are opened with {@code O_NOFOLLOW} then, so that a file swapped for a link between
 * the check and the open is not followed either.
 */
public record RegularFiles(boolean allowLinks) {

    /**
     * Why {@code path} is not read, or empty when it is.
     *
     * @param singleLinkOnly also refuse a file with more than one hard link (a second name of a file elsewhere)
     */
    public Optional<String> refusal(Path path, boolean singleLinkOnly) throws IOException {
        BasicFileAttributes own = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (own.isSymbolicLink()) {
            if (!allowLinks) {
                return Optional.of("it is a symbolic link (to " + Files.readSymbolicLink(path)
                        + ") and bridge.file.allow-links is false");
            }
            if (!Files.isRegularFile(path)) {
                return Optional.of("it is a symbolic link to something that is not a regular file");
            }
            return Optional.empty();
        }
        if (!own.isRegularFile()) {
            return Optional.of("it is not a regular file ("
                    + (own.isDirectory() ? "a directory" : "a device, pipe or socket") + ")");
        }
        if (singleLinkOnly && !allowLinks) {
            int links = hardLinks(path);
            if (links > 1) {
                return Optional.of("it has " + links + " hard links (another name of a file elsewhere) and"
                        + " bridge.file.allow-links is false; move or copy files into the inbox");
            }
        }
        return Optional.empty();
    }

    public InputStream open(Path path) throws IOException {
        return Channels.newInputStream(channel(path));
    }

    public FileChannel channel(Path path) throws IOException {
        OpenOption[] options = allowLinks
                ? new OpenOption[] {StandardOpenOption.READ}
                : new OpenOption[] {StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS};
        return FileChannel.open(path, options);
    }

    /** The attributes of the file itself, or of its target when links are allowed. */
    public BasicFileAttributes attributes(Path path) throws IOException {
        return allowLinks
                ? Files.readAttributes(path, BasicFileAttributes.class)
                : Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    private static int hardLinks(Path path) throws IOException {
        try {
            return ((Number) Files.getAttribute(path, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue();
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return 1; // a file system without link counts
        }
    }
}
