package io.kinesisbridge.source.file;

/**
 * Where the tailer is in one file, kept across restarts.
 *
 * @param path              where the file was last seen
 * @param fileKey           the file's identity (device and inode on Linux), which a rename keeps
 * @param offset            the first byte not yet acknowledged by Kinesis
 * @param fingerprint       hex SHA-256 of the file's first {@code fingerprintLength} bytes: tells a reused
 *                          inode, or a file truncated and rewritten, from the file that was read
 */
public record TailCheckpoint(String path, String fileKey, long offset, String fingerprint, int fingerprintLength) {}
