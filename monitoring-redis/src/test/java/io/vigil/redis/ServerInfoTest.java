package io.vigil.redis;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServerInfoTest {

    @Test
    void readsTheFiveFieldsAndIgnoresTheRest() {
        ServerInfo info = ServerInfo.parse("# Server\r\nredis_version:6.2.6\r\nconfig_file:/etc/secret.conf\r\n"
                + "# Clients\r\nconnected_clients:7\r\n# Memory\r\nused_memory:1048576\r\n"
                + "used_memory_human:1.00M\r\n# Stats\r\nevicted_keys:3\r\nkeyspace_hits:40\r\nkeyspace_misses:2\r\n"
                + "# Keyspace\r\ndb0:keys=5,expires=0,avg_ttl=0\r\n");
        assertThat(info.usedMemory).isEqualTo(1048576);
        assertThat(info.connectedClients).isEqualTo(7);
        assertThat(info.evictedKeys).isEqualTo(3);
        assertThat(info.keyspaceHits).isEqualTo(40);
        assertThat(info.keyspaceMisses).isEqualTo(2);
    }

    @Test
    void missingOrMalformedFieldsAreNaN() {
        ServerInfo info = ServerInfo.parse("used_memory:lots\nconnected_clients:\n:\n\n");
        assertThat(info.usedMemory).isNaN();
        assertThat(info.connectedClients).isNaN();
        assertThat(info.evictedKeys).isNaN();
        assertThat(ServerInfo.parse("").keyspaceHits).isNaN();
    }
}
