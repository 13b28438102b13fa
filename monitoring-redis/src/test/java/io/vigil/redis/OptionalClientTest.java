package io.vigil.redis;

import io.vigil.redis.testkit.TestRedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Both clients are optional dependencies: each adapter, and {@link RedisHealthCheck}, must load and work
 * with only its own client on the class path. Runs the module's classes in a class loader built from the
 * test class path minus the other client's jar, against a real Redis. Calls go through method handles,
 * which link one method at a time the way compiled application code does.
 */
class OptionalClientTest {

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.publicLookup();

    private static TestRedisServer server;
    private ClassLoader contextLoader;

    @org.junit.jupiter.api.BeforeEach
    void rememberContextLoader() {
        contextLoader = Thread.currentThread().getContextClassLoader();
    }

    @org.junit.jupiter.api.AfterEach
    void restoreContextLoader() {
        Thread.currentThread().setContextClassLoader(contextLoader);
    }

    @BeforeAll
    static void startRedis() {
        server = TestRedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        server.close();
    }

    @Test
    void jedisAloneIsEnough() throws Throwable {
        try (URLClassLoader loader = classPathWithout("lettuce-core")) {
            Thread.currentThread().setContextClassLoader(loader);
            assertThatThrownBy(() -> Class.forName("io.lettuce.core.RedisClient", false, loader))
                    .isInstanceOf(ClassNotFoundException.class);
            Class<?> registryType = loader.loadClass("io.micrometer.core.instrument.MeterRegistry");
            Object registry = newRegistry(loader);

            Class<?> monitoringType = loader.loadClass("io.vigil.redis.JedisMonitoring");
            Class<?> monitoringBuilder = loader.loadClass("io.vigil.redis.JedisMonitoring$Builder");
            Object builder = LOOKUP.findStatic(monitoringType, "builder",
                    MethodType.methodType(monitoringBuilder, registryType)).invoke(registry);
            Object monitoring = LOOKUP.findVirtual(monitoringBuilder, "build", MethodType.methodType(monitoringType))
                    .invoke(builder);

            Class<?> hostAndPortType = loader.loadClass("redis.clients.jedis.HostAndPort");
            Object hostAndPort = LOOKUP.findConstructor(hostAndPortType,
                    MethodType.methodType(void.class, String.class, int.class)).invoke(server.host(), server.port());
            Class<?> configType = loader.loadClass("redis.clients.jedis.JedisClientConfig");
            Class<?> defaultConfig = loader.loadClass("redis.clients.jedis.DefaultJedisClientConfig");
            Class<?> configBuilder = loader.loadClass("redis.clients.jedis.DefaultJedisClientConfig$Builder");
            Object cb = LOOKUP.findStatic(defaultConfig, "builder", MethodType.methodType(configBuilder)).invoke();
            Object config = LOOKUP.findVirtual(configBuilder, "build", MethodType.methodType(defaultConfig))
                    .invoke(cb);
            Class<?> redisClient = loader.loadClass("redis.clients.jedis.RedisClient");
            Object jedis = LOOKUP.findVirtual(monitoringType, "redisClient",
                    MethodType.methodType(redisClient, hostAndPortType, configType))
                    .invoke(monitoring, hostAndPort, config);
            Class<?> unifiedJedis = loader.loadClass("redis.clients.jedis.UnifiedJedis");
            LOOKUP.findVirtual(unifiedJedis, "set", MethodType.methodType(String.class, String.class, String.class))
                    .invoke(jedis, "k", "v");
            assertThat(LOOKUP.findVirtual(unifiedJedis, "get", MethodType.methodType(String.class, String.class))
                    .invoke(jedis, "k")).isEqualTo("v");

            Class<?> healthType = loader.loadClass("io.vigil.redis.RedisHealthCheck");
            // Frameworks introspect a bean's class: that must work without Lettuce too.
            assertThat(healthType.getMethods()).isNotEmpty();
            Class<?> healthBuilder = loader.loadClass("io.vigil.redis.RedisHealthCheck$Builder");
            Object hb = LOOKUP.findStatic(healthType, "builder", MethodType.methodType(healthBuilder)).invoke();
            LOOKUP.findVirtual(healthBuilder, "jedis", MethodType.methodType(healthBuilder, unifiedJedis))
                    .invoke(hb, jedis);
            Object check = LOOKUP.findVirtual(healthBuilder, "build", MethodType.methodType(healthType)).invoke(hb);
            assertThat(status(loader, check)).isEqualTo("UP");

            LOOKUP.findVirtual(unifiedJedis, "close", MethodType.methodType(void.class)).invoke(jedis);
            LOOKUP.findVirtual(monitoringType, "close", MethodType.methodType(void.class)).invoke(monitoring);
        }
    }

    @Test
    void lettuceAloneIsEnough() throws Throwable {
        try (URLClassLoader loader = classPathWithout("jedis")) {
            // Lettuce looks some classes up through the context class loader.
            Thread.currentThread().setContextClassLoader(loader);
            assertThatThrownBy(() -> Class.forName("redis.clients.jedis.UnifiedJedis", false, loader))
                    .isInstanceOf(ClassNotFoundException.class);
            Class<?> registryType = loader.loadClass("io.micrometer.core.instrument.MeterRegistry");
            Object registry = newRegistry(loader);

            Class<?> clientType = loader.loadClass("io.lettuce.core.RedisClient");
            Object client = LOOKUP.findStatic(clientType, "create", MethodType.methodType(clientType, String.class))
                    .invoke("redis://" + server.host() + ":" + server.port());
            Class<?> abstractClient = loader.loadClass("io.lettuce.core.AbstractRedisClient");
            Class<?> monitoringType = loader.loadClass("io.vigil.redis.LettuceMonitoring");
            Object monitoring = LOOKUP.findStatic(monitoringType, "instrument",
                    MethodType.methodType(monitoringType, abstractClient, registryType)).invoke(client, registry);

            Class<?> connectionType = loader.loadClass("io.lettuce.core.api.StatefulRedisConnection");
            Object connection = LOOKUP.findVirtual(clientType, "connect", MethodType.methodType(connectionType))
                    .invoke(client);
            Class<?> asyncType = loader.loadClass("io.lettuce.core.api.async.RedisAsyncCommands");
            Object commands = LOOKUP.findVirtual(connectionType, "async", MethodType.methodType(asyncType))
                    .invoke(connection);

            Class<?> healthType = loader.loadClass("io.vigil.redis.RedisHealthCheck");
            assertThat(healthType.getMethods()).isNotEmpty();
            Class<?> healthBuilder = loader.loadClass("io.vigil.redis.RedisHealthCheck$Builder");
            Object hb = LOOKUP.findStatic(healthType, "builder", MethodType.methodType(healthBuilder)).invoke();
            LOOKUP.findVirtual(healthBuilder, "lettuce", MethodType.methodType(healthBuilder,
                    loader.loadClass("io.lettuce.core.api.async.BaseRedisAsyncCommands"))).invoke(hb, commands);
            Object check = LOOKUP.findVirtual(healthBuilder, "build", MethodType.methodType(healthType)).invoke(hb);
            assertThat(status(loader, check)).isEqualTo("UP");

            LOOKUP.findVirtual(monitoringType, "close", MethodType.methodType(void.class)).invoke(monitoring);
            LOOKUP.findVirtual(abstractClient, "shutdown", MethodType.methodType(void.class)).invoke(client);
        }
    }

    private static Object newRegistry(ClassLoader loader) throws Throwable {
        Class<?> simple = loader.loadClass("io.micrometer.core.instrument.simple.SimpleMeterRegistry");
        return LOOKUP.findConstructor(simple, MethodType.methodType(void.class)).invoke();
    }

    private static String status(ClassLoader loader, Object check) throws Throwable {
        Class<?> resultType = loader.loadClass("io.vigil.core.health.HealthResult");
        Class<?> statusType = loader.loadClass("io.vigil.core.health.HealthStatus");
        Object result = LOOKUP.findVirtual(check.getClass(), "check", MethodType.methodType(resultType))
                .invoke(check);
        return LOOKUP.findVirtual(resultType, "status", MethodType.methodType(statusType)).invoke(result).toString();
    }

    /** The module's classes and dependencies, without the test classes and without {@code excluded}'s jar. */
    private static URLClassLoader classPathWithout(String excluded) throws MalformedURLException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            String name = new File(entry).getName();
            boolean testClasses = entry.replace('\\', '/').endsWith("target/test-classes");
            if (entry.isEmpty() || testClasses || name.startsWith(excluded + "-")) {
                continue;
            }
            urls.add(new File(entry).toURI().toURL());
        }
        return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
    }
}
