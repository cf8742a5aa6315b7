package io.kinesisbridge.console;

import io.kinesisbridge.deadletter.DeadLetter;
import io.kinesisbridge.deadletter.DeadLetterJson;
import io.kinesisbridge.files.StreamFileNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The dead letters of a stream as the console lists them: the last lines of its current file in the dead-letter
 * directory ({@code <stream>.ndjson}, as the dead-letter sink writes it), newest first, with their reason. The
 * rotated files ({@code .1}, {@code .2} …) are left to the replay command.
 */
final class DeadLetterFiles {

    private static final String SUFFIX = ".ndjson";

    private final Path dir;

    DeadLetterFiles(Path dir) {
        this.dir = dir;
    }

    /** The streams that have a current dead-letter file, sorted. */
    List<String> streams() throws IOException {
        TreeSet<String> streams = new TreeSet<>();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                StreamFileNames.streamOf(name.substring(0, name.length() - SUFFIX.length()))
                        .ifPresent(streams::add);
            }
        }
        return List.copyOf(streams);
    }

    /** Up to {@code limit} of the stream's latest letters, newest first; the file is read once, keeping only those. */
    List<Map<String, Object>> latest(String stream, int limit) throws IOException {
        if (!StreamFileNames.isStreamName(stream)) {
            return List.of();
        }
        Path file = StreamFileNames.childOf(dir, StreamFileNames.of(stream) + SUFFIX);
        Deque<Map.Entry<Long, String>> last = new ArrayDeque<>(limit + 1);
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                last.addLast(Map.entry(number, line));
                if (last.size() > limit) {
                    last.removeFirst();
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<Map<String, Object>> letters = new ArrayList<>(last.size());
        last.descendingIterator().forEachRemaining(entry -> letters.add(view(entry.getKey(), entry.getValue())));
        return letters;
    }

    private static Map<String, Object> view(long line, String text) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("line", line);
        DeadLetter letter;
        try {
            letter = DeadLetterJson.read(text);
        } catch (IllegalArgumentException e) {
            m.put("unreadable", e.getMessage());
            return m;
        }
        m.put("time", letter.time().toString());
        m.put("stream", letter.streamName());
        m.put("errorCode", letter.error().code());
        m.put("errorMessage", letter.error().message());
        m.put("attempts", letter.attempts());
        m.put("partitionKey", letter.request().partitionKey());
        Optional.ofNullable(letter.request().explicitHashKey()).ifPresent(k -> m.put("explicitHashKey", k));
        byte[] data =
                letter.request().data() == null ? new byte[0] : letter.request().data();
        RecordDecoding decoded = RecordDecoding.of(data);
        m.put("kind", decoded.kind());
        m.put("shown", decoded.shown());
        m.put("size", decoded.size());
        m.put("truncated", decoded.truncated());
        m.put("base64", Base64.getEncoder().encodeToString(data));
        return m;
    }
}
