package io.kinesisbridge.source.syslog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Linux's table of UDP sockets ({@code /proc/net/udp} and {@code /proc/net/udp6}), where the kernel counts, per
 * socket, the datagrams it dropped because the socket's receive buffer was full (the last column, {@code drops}).
 * Sockets are told apart by inode; this process's own sockets are the {@code socket:[inode]} links of
 * {@code /proc/self/fd}. Elsewhere than Linux the files do not exist and nothing is found.
 */
final class UdpSocketTable {

    private static final List<Path> TABLES = List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6"));
    private static final Path OWN_FDS = Path.of("/proc/self/fd");

    private UdpSocketTable() {}

    /** The inode of this process's UDP socket bound to {@code port}, if the kernel tells. */
    static Optional<Long> ownSocket(int port) {
        Set<Long> own = ownSocketInodes();
        for (Path table : TABLES) {
            for (String row : rows(table)) {
                String[] f = row.trim().split("\\s+");
                if (f.length >= 13 && localPort(f[1]) == port) {
                    long inode = Long.parseLong(f[9]);
                    if (own.contains(inode)) {
                        return Optional.of(inode);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The datagrams the kernel dropped on the socket, while it exists. */
    static OptionalLong drops(long inode) {
        for (Path table : TABLES) {
            OptionalLong d = drops(rows(table), inode);
            if (d.isPresent()) {
                return d;
            }
        }
        return OptionalLong.empty();
    }

    static OptionalLong drops(List<String> rows, long inode) {
        for (String row : rows) {
            String[] f = row.trim().split("\\s+");
            if (f.length >= 13 && f[9].equals(Long.toString(inode))) {
                return OptionalLong.of(Long.parseLong(f[f.length - 1]));
            }
        }
        return OptionalLong.empty();
    }

    /** The port of a {@code HEXADDRESS:HEXPORT} column; -1 when it is not one. */
    static int localPort(String column) {
        int colon = column.lastIndexOf(':');
        try {
            return colon < 0 ? -1 : Integer.parseInt(column.substring(colon + 1), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The table's rows without its header; none when it cannot be read. */
    private static List<String> rows(Path table) {
        try {
            List<String> lines = Files.readAllLines(table);
            return lines.isEmpty() ? List.of() : lines.subList(1, lines.size());
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static Set<Long> ownSocketInodes() {
        Set<Long> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(OWN_FDS)) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[") && target.endsWith("]")) {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException | RuntimeException e) {
                    // closed meanwhile, or not a link
                }
            });
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return inodes;
    }
}
