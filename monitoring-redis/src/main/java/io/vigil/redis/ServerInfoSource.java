package io.vigil.redis;

/**
 * Fetches the text of {@code INFO} from one Redis server, giving up after the poller's timeout. Each client
 * adapter supplies one over its own dedicated connection, so polling never uses (or is counted as) an
 * application command.
 */
interface ServerInfoSource extends AutoCloseable {

    String info() throws Exception;

    @Override
    void close();
}
