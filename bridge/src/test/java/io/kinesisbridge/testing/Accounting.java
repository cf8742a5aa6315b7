package io.kinesisbridge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One stream's accounting as the bridge's Prometheus metrics show it: records in (taken, or found in the spool at
 * start) = acknowledged + dead-lettered + in flight + spooled + returned (given back to their sources unsent when
 * the spool was full).
 */
public record Accounting(
        String stream,
        long in,
        long acknowledged,
        long deadLettered,
        long inFlight,
        long spooled,
        long spooledTotal,
        long refused,
        long retried,
        long returned,
        long unaccounted) {

    public static Accounting of(String prometheusText, String stream) {
        return new Accounting(
                stream,
                value(prometheusText, "kinesis_bridge_records_in_total", stream),
                value(prometheusText, "kinesis_bridge_records_acknowledged_total", stream),
                value(prometheusText, "kinesis_bridge_records_dead_lettered_total", stream),
                value(prometheusText, "kinesis_bridge_records_in_flight", stream),
                value(prometheusText, "kinesis_bridge_spool_records", stream),
                value(prometheusText, "kinesis_bridge_records_spooled_total", stream),
                value(prometheusText, "kinesis_bridge_records_refused_total", stream),
                value(prometheusText, "kinesis_bridge_records_retried_total", stream),
                value(prometheusText, "kinesis_bridge_records_returned_total", stream),
                value(prometheusText, "kinesis_bridge_records_unaccounted", stream));
    }

    /** The value of a metric for a stream, 0 when the metric is absent. */
    static long value(String text, String metric, String stream) {
        Pattern p = Pattern.compile(
                "^" + Pattern.quote(metric) + "\\{[^}]*stream=\"" + Pattern.quote(stream) + "\"[^}]*}\\s+(\\S+)",
                Pattern.MULTILINE);
        Matcher m = p.matcher(text);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    /** "in N = acknowledged A + dead-lettered D + in flight F + spooled S + returned R". */
    public String summary() {
        return "in " + in + " = acknowledged " + acknowledged + " + dead-lettered " + deadLettered + " + in flight "
                + inFlight + " + spooled " + spooled + " + returned " + returned;
    }

    /** The separate counters add up: only meaningful when nothing moves (the scrape reads them one after the other). */
    public boolean balances() {
        return in == acknowledged + deadLettered + inFlight + spooled + returned;
    }

    /** The identity holds, and nothing is in flight or spooled any more. */
    public Accounting assertSettled() {
        assertBalances();
        assertThat(balances())
                .as("records in = acknowledged + dead-lettered + in flight + spooled + returned: %s", this)
                .isTrue();
        assertThat(inFlight + spooled)
                .as("nothing left in flight or spooled: %s", this)
                .isZero();
        return this;
    }

    /** Under load: the bridge's own one-instant reading of the identity (records_unaccounted) is 0. */
    public Accounting assertBalances() {
        assertThat(unaccounted)
                .as(
                        "records in - (acknowledged + dead-lettered + in flight + spooled + returned), at one instant: %s",
                        this)
                .isZero();
        return this;
    }
}
