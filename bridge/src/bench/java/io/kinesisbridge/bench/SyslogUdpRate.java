package io.kinesisbridge.bench;

import io.kinesisbridge.testing.BridgeProcess;
import io.kinesisbridge.testing.FreePorts;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How fast syslog over UDP may come before the kernel drops datagrams: the bridge (as shipped, own JVM, the
 * default 4 MiB receive buffer) gets bursts of 5 s at increasing rates from one sender on 127.0.0.1; after each,
 * the records the syslog route took and the kernel's drop count are read from /observe/metrics. Then one burst
 * over a TCP connection, unthrottled, for comparison.
 *
 * <pre>mvn -q -Pbench package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/cp.txt
 * java -Dbridge.jar=target/kinesis-bridge.jar -cp bridge/target/test-classes:bridge/target/classes:$(cat bridge/target/cp.txt) \
 *     io.kinesisbridge.bench.SyslogUdpRate [seconds per step] [rates...]</pre>
 */
public final class SyslogUdpRate {

    private static final Pattern RECORDS_IN =
            Pattern.compile("(?m)^kinesis_bridge_records_in_total\\{stream=\"logs\"} ([0-9.E]+)");
    private static final Pattern DROPS = Pattern.compile("(?m)^kinesis_bridge_syslog_udp_drops_total ([0-9.E]+)");

    private SyslogUdpRate() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int[] rates = args.length > 1
                ? Arrays.stream(args, 1, args.length)
                        .mapToInt(Integer::parseInt)
                        .toArray()
                : new int[] {5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 0};
        int port = FreePorts.tcpAndUdp();
        Path work = Files.createTempDirectory("syslog-udp-rate");
        try (BridgeProcess bridge = BridgeProcess.start(
                work,
                "udp-rate",
                Map.of("bridge.syslog.enabled", "true", "bridge.syslog.port", String.valueOf(port)))) {
            bridge.awaitReady(Duration.ofSeconds(60));
            System.out.printf("%-12s %10s %10s %10s %7s%n", "rate/s", "sent", "taken", "dropped", "lost");
            try (DatagramSocket udp = new DatagramSocket()) {
                for (int rate : rates) {
                    long[] before = counts(bridge);
                    long sent = rate == 0 ? blast(udp, port, 400_000) : paced(udp, port, rate, seconds);
                    long[] after = settled(bridge, before, sent);
                    long taken = after[0] - before[0];
                    long dropped = after[1] - before[1];
                    System.out.printf(
                            "%-12s %10d %10d %10d %6.1f%%%n",
                            rate == 0 ? "unthrottled" : rate, sent, taken, dropped, 100.0 * (sent - taken) / sent);
                }
            }
            long[] before = counts(bridge);
            int tcpMessages = 400_000;
            try (Socket tcp = new Socket(InetAddress.getLoopbackAddress(), port);
                    OutputStream out = new BufferedOutputStream(tcp.getOutputStream(), 65_536)) {
                for (int i = 0; i < tcpMessages; i++) {
                    out.write(message(i).getBytes(StandardCharsets.UTF_8));
                    out.write('\n');
                }
            }
            long[] after = settled(bridge, before, tcpMessages);
            System.out.printf(
                    "%-12s %10d %10d %10s %6.1f%%%n",
                    "tcp burst",
                    tcpMessages,
                    after[0] - before[0],
                    "-",
                    100.0 * (tcpMessages - (after[0] - before[0])) / tcpMessages);
        }
    }

    private static String message(long i) {
        return "<14>1 2025-01-01T00:00:00Z rate-host app 42 - - udp rate probe message number " + i;
    }

    private static long paced(DatagramSocket udp, int port, int rate, int seconds) throws Exception {
        long total = (long) rate * seconds;
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + i * 1_000_000_000L / rate;
            long wait = due - System.nanoTime();
            if (wait > 50_000) {
                LockSupport.parkNanos(wait);
            }
            send(udp, port, i);
        }
        return total;
    }

    private static long blast(DatagramSocket udp, int port, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            send(udp, port, i);
        }
        return count;
    }

    private static void send(DatagramSocket udp, int port, long i) throws Exception {
        byte[] m = message(i).getBytes(StandardCharsets.UTF_8);
        udp.send(new DatagramPacket(m, m.length, InetAddress.getLoopbackAddress(), port));
    }

    /** Records taken by the syslog route's stream and datagrams dropped, once taken + dropped stop growing. */
    private static long[] settled(BridgeProcess bridge, long[] before, long sent) throws InterruptedException {
        long[] last = counts(bridge);
        for (int quiet = 0; quiet < 3; ) {
            Thread.sleep(1000); // a measurement tool, not a test: poll until the counts stand still
            long[] now = counts(bridge);
            quiet = now[0] == last[0] && now[1] == last[1] ? quiet + 1 : 0;
            last = now;
            if (now[0] - before[0] + now[1] - before[1] >= sent) {
                break;
            }
        }
        return last;
    }

    private static long[] counts(BridgeProcess bridge) {
        String metrics = bridge.metricsText();
        return new long[] {number(RECORDS_IN, metrics), number(DROPS, metrics)};
    }

    private static long number(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }
}
