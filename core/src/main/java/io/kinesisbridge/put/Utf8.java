package io.kinesisbridge.put;

/**
 * UTF-8 lengths without encoding, equal to {@code s.getBytes(UTF_8).length}: the size limits count a partition
 * key's UTF-8 bytes on every record.
 */
public final class Utf8 {

    private Utf8() {}

    public static int encodedLength(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2; // a surrogate pair: 2 chars, 4 bytes
                    i++;
                } else if (!Character.isSurrogate(c)) {
                    bytes += 2;
                }
                // a lone surrogate is written as '?' by String.getBytes(UTF_8): one byte, already counted
            }
        }
        return bytes;
    }
}
