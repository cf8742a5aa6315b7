package io.kinesisbridge.dispatch.spool;

import java.util.Locale;

/** When the spool forces what it wrote to the disk. */
public enum FsyncPolicy {
    /** Before a record counts as spooled (and its source is acknowledged); one fsync covers every record written together. */
    ALWAYS,
    /** At most once per interval: a power cut or kernel crash may lose the last interval of spooled records. */
    INTERVAL,
    /** Never: the operating system writes when it likes; a crash of the bridge loses nothing, a crash of the machine may. */
    NEVER;

    public static FsyncPolicy parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "spool fsync must be one of always, interval, never; got '" + value + "'");
        }
    }
}
