package io.kinesisbridge.files;

import io.kinesisbridge.put.PutRecordValidator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The file name that stands for a stream name, wherever a stream gets files of its own (the in-memory backend's
 * persist directory, the spool, the dead-letter output). Every Kinesis stream name ({@code [a-zA-Z0-9_.-]{1,128}},
 * which includes {@code .} and {@code ..}) has exactly one, and the mapping is reversible:
 * <ul>
 *   <li>a <em>plain</em> name (lower case, starting with a letter or digit, not ending with a dot, not a device
 *   name such as {@code con}) is its own file name, so {@code clickstream} stays {@code clickstream};</li>
 *   <li>any other name is written {@code @} + the name with each upper-case letter as {@code +} and the letter in
 *   lower case, and each dot as {@code @}: {@code Logs} is {@code @+logs}, {@code ..} is {@code @@@};</li>
 *   <li>where that would pass {@value #MAX_ESCAPED} characters (a long name of mostly capitals), {@code +} and
 *   the name in base32 (lower case, no padding), at most 206 characters.</li>
 * </ul>
 * A file name so made is never {@code .} or {@code ..}, holds no separator, no upper case (two streams never
 * share a file on a case-insensitive file system) and no character outside {@code [a-z0-9_.@+-]}, and stays well
 * under the 255 bytes file systems allow, with room for a prefix or suffix.
 */
public final class StreamFileNames {

    /** The longest escaped form; past it, base32 (1 + 205 characters for 128 bytes) is shorter. */
    static final int MAX_ESCAPED = 200;

    private static final Pattern PLAIN = Pattern.compile("[a-z0-9]([a-z0-9_.-]*[a-z0-9_-])?");
    private static final Set<String> DEVICE_NAMES = Set.of(
            "con", "prn", "aux", "nul", "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
            "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9");
    private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

    private StreamFileNames() {}

    /** The file name of a stream; IllegalArgumentException when {@code streamName} is not a Kinesis stream name. */
    public static String of(String streamName) {
        if (!isStreamName(streamName)) {
            throw new IllegalArgumentException("not a Kinesis stream name: '" + streamName + "'");
        }
        if (isPlain(streamName)) {
            return streamName;
        }
        StringBuilder escaped = new StringBuilder(streamName.length() * 2 + 1).append('@');
        for (int i = 0; i < streamName.length(); i++) {
            char c = streamName.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                escaped.append('+').append((char) (c - 'A' + 'a'));
            } else if (c == '.') {
                escaped.append('@');
            } else {
                escaped.append(c);
            }
        }
        return escaped.length() <= MAX_ESCAPED ? escaped.toString() : "+" + base32(streamName);
    }

    /** The stream whose file name this is; empty for any other file name (only the form {@link #of} makes counts). */
    public static Optional<String> streamOf(String fileName) {
        Optional<String> decoded = decode(fileName);
        return decoded.filter(name -> isStreamName(name) && of(name).equals(fileName));
    }

    /**
     * {@code dir} resolved against {@code fileName}, checked to be a direct child of {@code dir}: a name that would
     * lead anywhere else is a bug, and stops the operation (IllegalStateException) before anything is touched.
     */
    public static Path childOf(Path dir, String fileName) {
        Path base = dir.toAbsolutePath().normalize();
        Path child = base.resolve(fileName).normalize();
        if (fileName.isEmpty() || !base.equals(child.getParent())) {
            throw new IllegalStateException("file name '" + fileName + "' does not stay inside " + base);
        }
        return child;
    }

    /** Whether a stream name is its own file name, as in the layout of versions before this encoding. */
    public static boolean isPlain(String streamName) {
        if (!PLAIN.matcher(streamName).matches()) {
            return false;
        }
        int dot = streamName.indexOf('.');
        return !DEVICE_NAMES.contains(dot < 0 ? streamName : streamName.substring(0, dot));
    }

    /** Whether {@code s} is a Kinesis stream name: the pattern and the length AWS accepts. */
    public static boolean isStreamName(String s) {
        return s != null
                && s.length() <= PutRecordValidator.MAX_STREAM_NAME_LENGTH
                && PutRecordValidator.isStreamName(s);
    }

    private static Optional<String> decode(String fileName) {
        if (fileName.startsWith("@")) {
            StringBuilder name = new StringBuilder(fileName.length());
            for (int i = 1; i < fileName.length(); i++) {
                char c = fileName.charAt(i);
                if (c == '+') {
                    if (++i == fileName.length()) {
                        return Optional.empty();
                    }
                    name.append(Character.toUpperCase(fileName.charAt(i))); // the round trip in streamOf checks it
                } else {
                    name.append(c == '@' ? '.' : c);
                }
            }
            return Optional.of(name.toString());
        }
        if (fileName.startsWith("+")) {
            return unbase32(fileName.substring(1));
        }
        return Optional.of(fileName);
    }

    private static String base32(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(BASE32.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    private static Optional<String> unbase32(String text) {
        StringBuilder out = new StringBuilder(text.length() * 5 / 8);
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < text.length(); i++) {
            int v = BASE32.indexOf(text.charAt(i));
            if (v < 0) {
                return Optional.empty();
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out.append((char) ((buffer >> (bits - 8)) & 0xff));
                bits -= 8;
            }
        }
        return Optional.of(out.toString());
    }
}
