package io.kinesisbridge.dispatch.spool;

import io.kinesisbridge.files.StreamFileNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool's layout: one directory per stream under the spool directory, {@code stream-} and the stream's
 * {@link StreamFileNames file name} ({@code stream-clickstream}, {@code stream-@+logs} for {@code Logs}).
 * Versions before the encoding named the directory {@code stream-} and the stream name as it is; such a
 * directory is moved to its encoded name when the spools are listed, so that what it holds is still sent.
 */
public final class SpoolDirectories {

    private static final Logger LOG = LoggerFactory.getLogger(SpoolDirectories.class);
    private static final String PREFIX = "stream-";

    private SpoolDirectories() {}

    /** The directory of a stream's spool under {@code root}. */
    public static Path of(Path root, String streamName) {
        return StreamFileNames.childOf(root, PREFIX + StreamFileNames.of(streamName));
    }

    /** The streams with a spool directory under {@code root}, moving those of the older layout into place. */
    public static List<String> streams(Path root) throws IOException {
        List<String> streams = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return streams;
        }
        try (Stream<Path> children = Files.list(root)) {
            for (Path child : children.filter(Files::isDirectory).sorted().toList()) {
                String name = child.getFileName().toString();
                if (!name.startsWith(PREFIX)) {
                    continue;
                }
                String fileName = name.substring(PREFIX.length());
                Optional<String> stream = StreamFileNames.streamOf(fileName);
                if (stream.isEmpty() && StreamFileNames.isStreamName(fileName) && migrate(root, child, fileName)) {
                    stream = Optional.of(fileName);
                }
                stream.ifPresent(streams::add);
            }
        }
        return streams.stream().sorted().toList();
    }

    /** An older layout's {@code stream-<name>} moved to {@code stream-<file name>}; false when that is taken. */
    private static boolean migrate(Path root, Path old, String streamName) throws IOException {
        Path target = of(root, streamName);
        if (Files.exists(target)) {
            LOG.warn(
                    "Spool of stream '{}' found both in {} and in {}: {} is left alone, its records are not sent",
                    streamName,
                    old,
                    target,
                    old);
            return false;
        }
        Files.move(old, target);
        LOG.info("Spool of stream '{}' moved from {} to {} (directory names are now encoded)", streamName, old, target);
        return true;
    }
}
