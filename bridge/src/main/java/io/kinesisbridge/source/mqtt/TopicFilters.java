package io.kinesisbridge.source.mqtt;

/** MQTT topic filter rules (MQTT 5 §4.7), including shared subscriptions {@code $share/GROUP/FILTER}. */
public final class TopicFilters {

    private TopicFilters() {}

    /** @throws IllegalArgumentException saying which rule the filter breaks */
    public static void check(String filter) {
        if (filter.isEmpty()) {
            throw new IllegalArgumentException("a topic filter cannot be empty");
        }
        String f = filter;
        if (f.startsWith("$share/")) {
            int slash = f.indexOf('/', 7);
            if (slash < 0 || slash == 7) {
                throw new IllegalArgumentException("'" + filter + "': a shared subscription is $share/GROUP/FILTER");
            }
            String group = f.substring(7, slash);
            if (group.contains("+") || group.contains("#")) {
                throw new IllegalArgumentException("'" + filter + "': the share group name cannot hold + or #");
            }
            f = f.substring(slash + 1);
            if (f.isEmpty()) {
                throw new IllegalArgumentException("'" + filter + "': the shared subscription has no topic filter");
            }
        }
        String[] levels = f.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                throw new IllegalArgumentException("'" + filter + "': # must be a whole level and the last one");
            }
            if (level.contains("+") && !level.equals("+")) {
                throw new IllegalArgumentException("'" + filter + "': + must be a whole level");
            }
        }
    }
}
