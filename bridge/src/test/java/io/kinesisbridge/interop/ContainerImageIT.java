package io.kinesisbridge.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinesisbridge.testing.EndpointReader;
import io.kinesisbridge.testing.FreePorts;
import io.kinesisbridge.testing.Programs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The container image of {@code mvn -Pimage package} (target/kinesis-bridge-image.tar; .ci/run builds it on a local
 * Debian base from .ci/image-base): its configuration read from the tarball, then the image run by podman as a user
 * would run it: ready from the host through a published port, an HTTP event and an inbox file accepted and readable
 * through the endpoint, and {@code podman stop} ends it by SIGTERM, not by the SIGKILL that follows the timeout.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerImageIT {

    private static final String HOME = "/opt/kinesis-bridge";
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(3);
    private static final Path PODMAN = Path.of("/usr/bin/podman");
    private static final Path RUNC = Path.of("/usr/sbin/runc");
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path tarball;
    private ImageTarball image;
    private String container;
    private boolean loaded;

    record Result(int exit, String output) {}

    @BeforeAll
    void readImage() throws IOException {
        tarball = Path.of(System.getProperty("image.tar", "target/kinesis-bridge-image.tar"));
        Programs.require(
                Files.isRegularFile(tarball),
                "the image tarball " + tarball + " (.ci/run builds it: .ci/image-base, then mvn -Pimage package)");
        image = ImageTarball.read(tarball, 16 * 1024 * 1024);
    }

    @AfterAll
    void removeContainerAndImage() throws Exception {
        if (container != null) {
            podman("rm", "--force", "--ignore", container);
        }
        if (loaded) {
            podman("rmi", "--ignore", imageId()); // fails harmlessly while another container uses it
        }
    }

    @Test
    void imageConfig_runsTheBridgeAsNonRoot_withItsListenersExposed_andConfigRoutesDataAsVolumes() throws IOException {
        JsonNode config = image.config().path("config");

        List<String> entrypoint = texts(config.path("Entrypoint"));
        assertThat(entrypoint).first().isEqualTo("java");
        assertThat(entrypoint).last().isEqualTo("io.kinesisbridge.app.BridgeMain");
        assertThat(config.path("WorkingDir").asText()).isEqualTo(HOME);

        String user = config.path("User").asText();
        assertThat(user)
                .as("the image's user")
                .isNotEmpty()
                .doesNotStartWith("root")
                .doesNotStartWith("0:")
                .isNotEqualTo("0");
        assertThat(user.split(":")[0])
                .as("a numeric uid, so that runAsNonRoot can check it")
                .matches("[1-9][0-9]*");

        assertThat(fieldNames(config.path("ExposedPorts")))
                .containsExactlyInAnyOrder("8080/tcp", "5514/tcp", "5514/udp", "4567/tcp", "9876/tcp");
        assertThat(fieldNames(config.path("Volumes")))
                .containsExactlyInAnyOrder(HOME + "/config", HOME + "/routes", HOME + "/data");

        List<String> env = texts(config.path("Env"));
        assertThat(env)
                .contains(
                        "BRIDGE_HTTP_HOST=0.0.0.0",
                        "BRIDGE_SYSLOG_HOST=0.0.0.0",
                        "BRIDGE_ENDPOINT_HOST=0.0.0.0",
                        "BRIDGE_MANAGEMENT_HOST=0.0.0.0");
        assertThat(env)
                .anySatisfy(e -> assertThat(e).startsWith("JAVA_TOOL_OPTIONS=").contains("-XX:MaxRAMPercentage="));

        // the shipped configuration and routes are the volumes' defaults; data/ is writable by the image's group
        Map<String, ImageTarball.Entry> files = image.files();
        String opt = HOME.substring(1);
        assertThat(new String(files.get(opt + "/config/application.properties").content(), StandardCharsets.UTF_8))
                .isEqualTo(Files.readString(Path.of("config/application.properties")));
        Set<String> inImage = files.keySet().stream()
                .filter(p -> p.startsWith(opt + "/routes/"))
                .map(p -> p.substring(p.lastIndexOf('/') + 1))
                .collect(Collectors.toCollection(TreeSet::new));
        try (Stream<Path> shipped = Files.list(Path.of("routes"))) {
            Set<String> inRepository =
                    shipped.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
            assertThat(inImage).isEqualTo(inRepository);
        }
        ImageTarball.Entry data = files.get(opt + "/data");
        assertThat(data.type()).isEqualTo('5');
        assertThat(data.mode() & 0070).as("group permissions of data/").isEqualTo(0070);
        assertThat(data.mode() & 0007).as("data/ is not open to others").isZero();
        assertThat(user)
                .as("the image's group owns data/ (Jib writes every file as root:root)")
                .endsWith(":0");
    }

    @Test
    void podman_runsTheImage_readyFromTheHost_acceptsEvents_andStopsOnSigterm() throws Exception {
        Programs.require(Files.isExecutable(PODMAN), "podman at " + PODMAN + " (Debian podman)");
        Result load = podman("load", "--input", tarball.toString());
        assertThat(load.exit()).as("podman load: %s", load.output()).isZero();
        loaded = true;

        int management = FreePorts.tcp();
        int httpPort = FreePorts.tcp();
        int endpoint = FreePorts.tcp();
        container = "kinesis-bridge-it-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> run = new ArrayList<>(runtime());
        run.addAll(List.of(
                "run",
                "--detach",
                "--name",
                container,
                "--memory",
                "512m",
                "--stop-timeout",
                "40",
                "--health-cmd",
                "curl -fsS -o /dev/null http://127.0.0.1:9876/observe/health/ready",
                "--health-interval",
                "disable",
                "--publish",
                "127.0.0.1:" + management + ":9876",
                "--publish",
                "127.0.0.1:" + httpPort + ":8080",
                "--publish",
                "127.0.0.1:" + endpoint + ":4567"));
        run.addAll(sandboxLimits());
        run.add(imageId());
        Result started = podman(run.toArray(String[]::new));
        assertThat(started.exit()).as("podman run: %s", started.output()).isZero();

        Awaitility.await("readiness through the published management port")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    assertThat(running())
                            .as("container running; its log: %s", logs())
                            .isTrue();
                    return status(get(management, "/observe/health/ready")) == 200;
                });
        Result health = podman("healthcheck", "run", container);
        assertThat(health.exit())
                .as("the documented --health-cmd: %s", health.output())
                .isZero();

        HttpResponse<String> put = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/clickstream"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"u-container\",\"page\":\"/\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(put.body()).contains("\"FailedRecordCount\":0");
        Result dropped = podman("exec", container, "sh", "-c", "printf 'inbox one\\ninbox two\\n' > data/inbox/c.log");
        assertThat(dropped.exit())
                .as("the image's user writes data/: %s", dropped.output())
                .isZero();

        EndpointReader reader = new EndpointReader(endpoint);
        Awaitility.await("the records, read through the published endpoint")
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> {
                    assertThat(reader.readAll("clickstream"))
                            .extracting(EndpointReader.Read::partitionKey)
                            .contains("u-container");
                    assertThat(reader.readAll("logs"))
                            .extracting(EndpointReader.Read::data)
                            .contains("inbox one", "inbox two");
                });

        Result heap = podman("exec", container, "java", "-XX:+PrintFlagsFinal", "-version");
        long maxHeap = heap.output()
                .lines()
                .filter(l -> l.contains(" MaxHeapSize "))
                .findFirst()
                .map(l -> Long.parseLong(l.split("=")[1].trim().split("\\s+")[0]))
                .orElseThrow();
        assertThat(maxHeap)
                .as("heap from the container's 512 MiB limit")
                .isLessThanOrEqualTo(512L * 1024 * 1024 * 3 / 4);

        Result stop = podman("stop", container);
        assertThat(stop.exit()).as("podman stop: %s", stop.output()).isZero();
        String exitCode = podman("inspect", "--format", "{{.State.ExitCode}}", container)
                .output()
                .trim();
        assertThat(exitCode)
                .as(
                        "exit status after podman stop (143: the JVM ended on SIGTERM; 137 would be SIGKILL); log: %s",
                        logs())
                .isEqualTo("143");
    }

    private String imageId() {
        return image.configDigest().substring("sha256:".length());
    }

    /** runc where installed: crun refuses cgroups v1 with a controller left on the v2 hierarchy (hybrid), as here. */
    private static List<String> runtime() {
        return Files.isExecutable(RUNC) ? List.of("--runtime", RUNC.toString()) : List.of();
    }

    /**
     * podman asks for 1,048,576 open files for a root container; without CAP_SYS_RESOURCE (a sandboxed CI) that is
     * refused, so ask for what any machine grants.
     */
    private static List<String> sandboxLimits() {
        return List.of("--ulimit", "nofile=16384:16384", "--ulimit", "nproc=16384:16384");
    }

    private boolean running() throws Exception {
        return podman("inspect", "--format", "{{.State.Running}}", container)
                .output()
                .trim()
                .equals("true");
    }

    private String logs() throws Exception {
        return podman("logs", container).output();
    }

    private HttpResponse<String> get(int port, String path) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static int status(HttpResponse<String> response) {
        return response == null ? -1 : response.statusCode();
    }

    private Result podman(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(PODMAN.toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("podman " + String.join(" ", args) + " did not end in " + COMMAND_TIMEOUT);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
