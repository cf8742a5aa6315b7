package io.kinesisbridge.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The image Jib wrote with {@code jib:buildTar} in OCI format, read without a container tool: an OCI image layout in a
 * tar (index.json, then the manifest, the config and the gzipped layers under blobs/sha256/).
 */
record ImageTarball(String configDigest, JsonNode config, List<Layer> layers) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One file of a layer: its path (no leading slash), type ('0' file, '5' directory), mode and content. */
    record Entry(String path, char type, int mode, byte[] content) {}

    record Layer(String digest, long size, Map<String, Entry> entries) {}

    /**
     * @param maxLayerBytes layers larger than this (the base image's) are listed without their entries
     */
    static ImageTarball read(Path tarball, long maxLayerBytes) throws IOException {
        Map<String, byte[]> blobs = new HashMap<>();
        try (InputStream in = Files.newInputStream(tarball)) {
            for (Entry e : entries(in, maxLayerBytes)) {
                if (e.content() != null) {
                    blobs.put(e.path(), e.content());
                }
            }
        }
        JsonNode index = JSON.readTree(require(blobs, "index.json"));
        JsonNode manifest = JSON.readTree(require(
                blobs, blob(index.path("manifests").path(0).path("digest").asText())));
        String configDigest = manifest.path("config").path("digest").asText();
        JsonNode config = JSON.readTree(require(blobs, blob(configDigest)));
        List<Layer> layers = new ArrayList<>();
        for (JsonNode layer : manifest.path("layers")) {
            String digest = layer.path("digest").asText();
            long size = layer.path("size").asLong();
            Map<String, Entry> entries = new LinkedHashMap<>();
            byte[] bytes = blobs.get(blob(digest));
            if (bytes != null) {
                try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                    for (Entry e : entries(gz, Long.MAX_VALUE)) {
                        entries.put(e.path(), e);
                    }
                }
            }
            layers.add(new Layer(digest, size, entries));
        }
        return new ImageTarball(configDigest, config, layers);
    }

    /** Every entry of every layer that was read, by path (a later layer wins). */
    Map<String, Entry> files() {
        Map<String, Entry> all = new LinkedHashMap<>();
        for (Layer layer : layers) {
            all.putAll(layer.entries());
        }
        return all;
    }

    private static String blob(String digest) {
        return "blobs/" + digest.replace(':', '/');
    }

    private static byte[] require(Map<String, byte[]> blobs, String name) {
        byte[] bytes = blobs.get(name);
        if (bytes == null) {
            throw new IllegalStateException("not an OCI image layout tarball: no " + name + " in " + blobs.keySet());
        }
        return bytes;
    }

    /**
     * The entries of a tar stream (ustar, with pax and GNU long names); the content of regular files up to
     * maxContentBytes is kept, larger ones are skipped (their content is null).
     */
    private static List<Entry> entries(InputStream in, long maxContentBytes) throws IOException {
        List<Entry> entries = new ArrayList<>();
        byte[] header = new byte[512];
        String longName = null;
        while (true) {
            if (!readFully(in, header)) {
                return entries;
            }
            if (isZero(header)) {
                return entries;
            }
            String name = text(header, 0, 100);
            String prefix = text(header, 345, 155);
            if (!prefix.isEmpty() && "ustar".equals(text(header, 257, 5))) {
                name = prefix + "/" + name;
            }
            int mode = (int) octal(header, 100, 8);
            long size = octal(header, 124, 12);
            char type = header[156] == 0 ? '0' : (char) header[156];
            long padded = (size + 511) / 512 * 512;
            boolean keep = type == 'x' || type == 'L' || (type == '0' && size <= maxContentBytes);
            byte[] content = null;
            if (keep) {
                content = new byte[(int) size];
                if (!readFully(in, content)) {
                    throw new EOFException("tar entry " + name + " cut short");
                }
                skip(in, padded - size);
            } else {
                skip(in, padded);
            }
            if (type == 'L') {
                longName = new String(content, StandardCharsets.UTF_8).replace("\0", "");
                continue;
            }
            if (type == 'x') {
                for (String record : new String(content, StandardCharsets.UTF_8).split("\n")) {
                    int eq = record.indexOf("path=");
                    if (eq > 0 && record.substring(0, eq).trim().matches("\\d+")) {
                        longName = record.substring(eq + 5);
                    }
                }
                continue;
            }
            if (longName != null) {
                name = longName;
                longName = null;
            }
            name = name.startsWith("./") ? name.substring(2) : name;
            name = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
            entries.add(new Entry(name, type, mode, content));
        }
    }

    private static boolean readFully(InputStream in, byte[] buffer) throws IOException {
        int off = 0;
        while (off < buffer.length) {
            int n = in.read(buffer, off, buffer.length - off);
            if (n < 0) {
                if (off == 0) {
                    return false;
                }
                throw new EOFException();
            }
            off += n;
        }
        return true;
    }

    private static void skip(InputStream in, long bytes) throws IOException {
        long left = bytes;
        byte[] sink = new byte[8192];
        while (left > 0) {
            int n = in.read(sink, 0, (int) Math.min(sink.length, left));
            if (n < 0) {
                throw new EOFException();
            }
            left -= n;
        }
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] header, int offset, int length) {
        String digits = text(header, offset, length).trim();
        return digits.isEmpty() ? 0 : Long.parseLong(digits, 8);
    }
}
