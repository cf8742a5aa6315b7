package io.kinesisbridge.source.file;

/**
 * {@link FileTailKillTest} with the bridge run from the shaded jar, target/kinesis-bridge.jar (failsafe sets
 * bridge.jar), as users run it.
 */
class FileTailKillJarIT extends FileTailKillTest {}
