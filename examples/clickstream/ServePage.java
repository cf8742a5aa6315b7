import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Serves the clickstream page (examples/clickstream/web) on 127.0.0.1, on a port of its own, so that the page has an
 * origin other than the bridge's. A JDK is all it needs: {@code java examples/clickstream/ServePage.java [port] [dir]}
 * (defaults 8000 and examples/clickstream/web, from the repository root). Ctrl-C stops it. GET and HEAD only; a
 * path that leaves the directory gets 404.
 */
public class ServePage {

    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "png", "image/png",
            "svg", "image/svg+xml", "ico", "image/x-icon", "json", "application/json");

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8000;
        Path root = Path.of(args.length > 1 ? args[1] : "examples/clickstream/web").toRealPath();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/", exchange -> {
            try (exchange) {
                serve(root, exchange);
            }
        });
        server.start();
        System.out.println("Serving " + root + " on http://127.0.0.1:" + server.getAddress().getPort() + "/ (Ctrl-C stops)");
    }

    private static void serve(Path root, HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            exchange.sendResponseHeaders(405, -1);
            return;
        }
        Path file = resolve(root, exchange.getRequestURI());
        if (file == null) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        String name = file.getFileName().toString();
        String extension = name.substring(name.lastIndexOf('.') + 1);
        exchange.getResponseHeaders().set("Content-Type", TYPES.getOrDefault(extension, "application/octet-stream"));
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        byte[] bytes = Files.readAllBytes(file);
        exchange.sendResponseHeaders(200, method.equals("HEAD") ? -1 : bytes.length);
        if (method.equals("GET")) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The file a request names inside root (index.html for a directory), or null when there is none or it is outside. */
    private static Path resolve(Path root, URI uri) throws IOException {
        String path = uri.getPath();
        Path candidate = root.resolve(path.replaceFirst("^/+", "")).normalize();
        if (Files.isDirectory(candidate)) {
            candidate = candidate.resolve("index.html");
        }
        if (!candidate.startsWith(root) || !Files.isRegularFile(candidate)) {
            return null;
        }
        Path real = candidate.toRealPath();
        return real.startsWith(root) ? real : null;
    }
}
