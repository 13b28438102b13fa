package io.vigil.examples;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The redis-server processes a JVM started (redis-server renames its command line to "binary host:port"). */
final class RedisProcesses {

    private RedisProcesses() {
    }

    static Set<ProcessHandle> childrenOf(ProcessHandle parent) {
        return parent.descendants().filter(RedisProcesses::isRedisServer).collect(Collectors.toSet());
    }

    /** Every live redis-server whose binary lies under {@code directory} (a JVM's java.io.tmpdir). */
    static List<ProcessHandle> under(String directory) {
        return ProcessHandle.allProcesses().filter(RedisProcesses::isRedisServer)
                .filter(process -> process.info().commandLine().orElse("").contains(directory)
                        || process.info().command().orElse("").startsWith(directory))
                .collect(Collectors.toList());
    }

    private static boolean isRedisServer(ProcessHandle process) {
        return process.isAlive() && (process.info().command().orElse("").contains("redis-server")
                || process.info().commandLine().orElse("").contains("redis-server"));
    }
}
