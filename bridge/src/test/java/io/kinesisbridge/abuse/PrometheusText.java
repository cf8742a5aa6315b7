package io.kinesisbridge.abuse;

/** Reads one series from the Prometheus text of /observe/metrics. */
final class PrometheusText {

    private PrometheusText() {}

    /** The value of the series written exactly so ({@code name{label="value"}}), or -1 when the text has none. */
    static double value(String text, String series) {
        for (String line : text.lines().toList()) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return -1;
    }
}
