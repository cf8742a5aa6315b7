package io.kinesisbridge.bench;

import java.nio.file.Path;

/** Where the benchmark finds the bridge and keeps its files. */
final class Suite {

    final Path repo;
    final Path jar;
    final Path out;
    final Path work;
    final Path logs;
    final Path kinesaliteDir;

    Suite(Path repo, Path jar, Path out, Path kinesaliteDir) {
        this.repo = repo;
        this.jar = jar;
        this.out = out;
        this.work = out.resolve("work");
        this.logs = out.resolve("logs");
        this.kinesaliteDir = kinesaliteDir;
    }
}
