package io.kinesisbridge.dispatch.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/** How the spool opens its files: {@link FileChannel#open}, or in tests a channel that fails as a full disk does. */
@FunctionalInterface
public interface ChannelOpener {

    ChannelOpener DEFAULT = FileChannel::open;

    FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException;
}
