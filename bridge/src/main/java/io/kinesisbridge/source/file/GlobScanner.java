package io.kinesisbridge.source.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The files that a list of globs matches now ({@code /var/log/app/*.log}, {@code logs/**}{@code /*.json},
 * {@code /srv/{a,b}/out.log}); relative globs are taken from the working directory. A directory that does not
 * exist matches nothing.
 */
public final class GlobScanner {

    private record Glob(Path base, PathMatcher matcher, int depth) {}

    private final List<Glob> globs = new ArrayList<>();

    public GlobScanner(List<String> patterns) {
        for (String pattern : patterns) {
            Path absolute = Path.of(pattern).toAbsolutePath().normalize();
            String text = absolute.toString();
            int firstWildcard = indexOfWildcard(text);
            if (firstWildcard < 0) {
                globs.add(new Glob(absolute.getParent(), absolute::equals, 1));
                continue;
            }
            int slash = text.lastIndexOf('/', firstWildcard);
            Path base = Path.of(slash <= 0 ? "/" : text.substring(0, slash));
            String rest = text.substring(slash + 1);
            int depth = rest.contains("**")
                    ? Integer.MAX_VALUE
                    : (int) rest.chars().filter(c -> c == '/').count() + 1;
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + text);
            globs.add(new Glob(base, matcher, depth));
        }
    }

    /** The directories the globs look into, for finding a file that was renamed out of them. */
    public Set<Path> baseDirectories() {
        Set<Path> dirs = new TreeSet<>();
        globs.forEach(g -> dirs.add(g.base()));
        return dirs;
    }

    public boolean isEmpty() {
        return globs.isEmpty();
    }

    /** Whether a glob matches {@code path}, which need not exist. */
    public boolean matches(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return globs.stream().anyMatch(g -> g.matcher().matches(absolute));
    }

    /**
     * Every regular file and symbolic link matched now (what a link points to is for the caller to judge), each
     * once, sorted by path.
     */
    public Set<Path> scan() {
        Set<Path> found = new TreeSet<>();
        for (Glob g : globs) {
            if (!Files.isDirectory(g.base())) {
                continue;
            }
            try {
                if (g.depth() == 1) {
                    try (DirectoryStream<Path> dir = Files.newDirectoryStream(g.base())) {
                        for (Path p : dir) {
                            if (g.matcher().matches(p) && isFileOrLink(p)) {
                                found.add(p);
                            }
                        }
                    }
                } else {
                    try (Stream<Path> walk = Files.walk(g.base(), g.depth())) {
                        walk.filter(p -> g.matcher().matches(p) && isFileOrLink(p))
                                .forEach(found::add);
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                // a directory that vanished during the scan: it is looked at again on the next one
            }
        }
        return found;
    }

    private static boolean isFileOrLink(Path p) {
        return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p);
    }

    private static int indexOfWildcard(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{') {
                return i;
            }
        }
        return -1;
    }
}
