package io.kinesisbridge.source.file;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file-inbox route's filter ({@code filter=#inboxFilter}): only regular files with one name pass (see
 * {@link RegularFiles}). A refused file is moved, as it is (a link is renamed, its target never opened), to
 * {@code .failed/} with one WARN naming it and the reason: the inbox shows only what it will read, and the file is
 * not looked at again on every poll; a dead letter ({@value FileDeadLetters#FILE_REFUSED}) counts it. Where the
 * move is not possible, the file is left and warned about once.
 */
public final class InboxFilter implements GenericFileFilter<File> {

    private static final Logger LOG = LoggerFactory.getLogger(InboxFilter.class);
    private static final int MAX_REMEMBERED = 10_000;

    private final RegularFiles files;
    private final FileDeadLetters deadLetters;
    private final Set<Path> warned = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Boolean> eldest) {
            return size() > MAX_REMEMBERED;
        }
    });

    public InboxFilter(RegularFiles files, FileDeadLetters deadLetters) {
        this.files = files;
        this.deadLetters = deadLetters;
    }

    @Override
    public boolean accept(GenericFile<File> file) {
        Path path = file.getFile().toPath();
        Optional<String> refusal;
        try {
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                return true; // Camel's own rules decide about directories
            }
            refusal = files.refusal(path, true);
        } catch (IOException e) {
            return false; // gone since the listing: nothing to read
        }
        if (refusal.isEmpty()) {
            return true;
        }
        refuse(path, refusal.get());
        return false;
    }

    private synchronized void refuse(Path path, String reason) {
        Path failed = path.resolveSibling(".failed").resolve(path.getFileName());
        try {
            Files.createDirectories(failed.getParent());
            if (!Files.exists(failed, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(path, failed, LinkOption.NOFOLLOW_LINKS);
                LOG.warn("File inbox: {} is not read: {}; moved to {}", path, reason, failed);
                warned.remove(path);
                deadLetters.fileRefused(path.toString(), reason + "; moved to .failed/");
                return;
            }
        } catch (IOException e) {
            reason = reason + " (moving it to .failed/ failed: " + e.getMessage() + ")";
        }
        if (warned.add(path)) {
            LOG.warn("File inbox: {} is not read: {}; left where it is", path, reason);
        }
    }
}
