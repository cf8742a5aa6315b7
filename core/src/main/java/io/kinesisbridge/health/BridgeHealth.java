package io.kinesisbridge.health;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Problems that make the bridge unfit to take records, reported by the parts that notice them (a source whose
 * consumer died, a listener that could not bind, a dead-letter sink that cannot write). While any is present,
 * readiness is DOWN and names each part with its reason. Plain Java, so that code without Camel can report.
 */
public final class BridgeHealth {

    private final Map<String, String> problems = new ConcurrentHashMap<>();

    /** Marks {@code part} as not working, for {@code reason} (replacing an earlier reason). */
    public void down(String part, String reason) {
        problems.put(part, reason);
    }

    /** Marks {@code part} as working again. */
    public void up(String part) {
        problems.remove(part);
    }

    public boolean isUp() {
        return problems.isEmpty();
    }

    /** The parts that are down, by name, with their reasons. */
    public Map<String, String> problems() {
        return new TreeMap<>(problems);
    }
}
