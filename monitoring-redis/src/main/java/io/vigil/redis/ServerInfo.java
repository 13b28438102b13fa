package io.vigil.redis;

/**
 * The fields Vigil reads from one {@code INFO} reply. Missing fields stay {@code NaN}. Only these numeric
 * fields are read; nothing else of the reply (which names the host, the config file, the keyspace) is kept.
 */
final class ServerInfo {

    final double usedMemory;
    final double connectedClients;
    final double evictedKeys;
    final double keyspaceHits;
    final double keyspaceMisses;

    private ServerInfo(double usedMemory, double connectedClients, double evictedKeys, double keyspaceHits,
            double keyspaceMisses) {
        this.usedMemory = usedMemory;
        this.connectedClients = connectedClients;
        this.evictedKeys = evictedKeys;
        this.keyspaceHits = keyspaceHits;
        this.keyspaceMisses = keyspaceMisses;
    }

    static final ServerInfo UNKNOWN = new ServerInfo(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** Parses the {@code field:value} lines of an INFO reply; other lines are ignored. */
    static ServerInfo parse(String info) {
        double usedMemory = Double.NaN;
        double connectedClients = Double.NaN;
        double evictedKeys = Double.NaN;
        double keyspaceHits = Double.NaN;
        double keyspaceMisses = Double.NaN;
        int start = 0;
        int length = info.length();
        while (start < length) {
            int end = info.indexOf('\n', start);
            if (end < 0) {
                end = length;
            }
            int colon = info.indexOf(':', start);
            if (colon > start && colon < end) {
                String field = info.substring(start, colon);
                switch (field) {
                    case "used_memory":
                        usedMemory = number(info, colon + 1, end);
                        break;
                    case "connected_clients":
                        connectedClients = number(info, colon + 1, end);
                        break;
                    case "evicted_keys":
                        evictedKeys = number(info, colon + 1, end);
                        break;
                    case "keyspace_hits":
                        keyspaceHits = number(info, colon + 1, end);
                        break;
                    case "keyspace_misses":
                        keyspaceMisses = number(info, colon + 1, end);
                        break;
                    default:
                        break;
                }
            }
            start = end + 1;
        }
        return new ServerInfo(usedMemory, connectedClients, evictedKeys, keyspaceHits, keyspaceMisses);
    }

    private static double number(String info, int from, int to) {
        try {
            return Double.parseDouble(info.substring(from, to).trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
