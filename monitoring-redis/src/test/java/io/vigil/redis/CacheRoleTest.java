package io.vigil.redis;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CacheRoleTest {

    @Test
    void classifiesTheCacheCommands() {
        assertThat(CacheRole.of("GET")).isEqualTo(CacheRole.READ);
        assertThat(CacheRole.of("getex")).isEqualTo(CacheRole.READ);
        assertThat(CacheRole.of("HMGET")).isEqualTo(CacheRole.READ_MULTI);
        assertThat(CacheRole.of("SETEX")).isEqualTo(CacheRole.WRITE);
        assertThat(CacheRole.of("HSETNX")).isEqualTo(CacheRole.WRITE_IF);
        assertThat(CacheRole.of("MSETNX")).isEqualTo(CacheRole.WRITE_MULTI_IF);
        assertThat(CacheRole.of("DEL")).isEqualTo(CacheRole.NONE);
        assertThat(CacheRole.of("OTHER")).isEqualTo(CacheRole.NONE);
    }

    @Test
    void conditionalWritesReadBothClientsReplies() {
        assertThat(CacheRole.wrote(Boolean.TRUE)).isTrue();
        assertThat(CacheRole.wrote(Boolean.FALSE)).isFalse();
        assertThat(CacheRole.wrote(1L)).isTrue();
        assertThat(CacheRole.wrote(0L)).isFalse();
        assertThat(CacheRole.wrote(null)).isFalse();
    }
}
