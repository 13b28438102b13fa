package io.vigil.benchmarks.cpu;

import io.vigil.benchmarks.Accounts;
import io.vigil.benchmarks.EmbeddedRedisServer;
import io.vigil.benchmarks.HarnessOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Server CPU time per request, bare against instrumented, for Jetty hello, a PostgreSQL point select and a
 * Redis GET, each served over loopback sockets by an {@link AppServer} in its own JVM and driven by one
 * {@link LoadGenerator} JVM.
 *
 * <p>Why CPU and not latency: on a shared 2-core machine the latency of a request over sockets varies by tens
 * of percent with what else runs, while the CPU the server process spends per request changes much less —
 * it is the quantity the 1 % budget is about (what monitoring takes from the application), and it does not
 * include the load generator's or the database's work.
 *
 * <p>Method:
 * <ul>
 *   <li>Per target, one server per variant, all started up front and idle unless driven: {@code bare},
 *       {@code bareB} (a second, identical bare server: the A/A control), {@code vigil}, and for Jetty the
 *       peers {@code springObservation} (Spring's {@code ServerHttpObservationFilter}) and {@code timedHandler}
 *       (Micrometer's Jetty {@code TimedHandler}). Servers are pinned with {@code taskset} to the server cores, the load generator to
 *       the load cores (when {@code taskset} is absent nothing is pinned and the output says so).</li>
 *   <li>A round drives every server once, for the same time, in an order rotated by one every round (the
 *       position in a round, e.g. right after another JVM's burst, biases a figure). Warm-up rounds (JIT,
 *       pools, caches) come first and are not counted: at least {@code --warmup}, then more (up to
 *       {@code --max-warmup}) until no server's JIT compiler threads took more than {@code --jit-quiet} (2 %)
 *       of its CPU in the last warm-up round.</li>
 *   <li>Per server and round: its process CPU time before and after (its own OperatingSystemMXBean, asked on
 *       stdin, so no HTTP request is added), less what its JIT compiler threads spent meanwhile (a one-time
 *       cost that on a starved core lasts minutes and differs between JVMs; reported apart as
 *       {@code jit_ns_per_request}), divided by the requests the load generator completed.</li>
 *   <li>Per round, each variant's ratio to {@code bare} of the same round, minus one. Reported: the median of
 *       those per-round ratios and their interquartile range; {@code bareB}'s is the method's resolution.</li>
 *   <li>At the end every instrumented server must have recorded at least the requests it was sent, so no
 *       variant can look cheap by recording nothing; a load error fails the run.</li>
 * </ul>
 * Writes JSON (see {@code benchmarks/report.py}) to {@code --out}. Options: {@code --targets jetty,postgres,redis
 * --rounds 8 --warmup 2 --max-warmup 10 --jit-quiet 0.02 --seconds 10 --warmup-seconds 5 --connections 4 --server-cpus 0 --load-cpus 1
 * --out benchmarks/target/results/cpu.json}.
 */
public final class ServerCpuRun {

    private final Map<String, String> options;
    private final boolean pinned;
    private final String javaCommand;
    private final String classPath;
    private final Map<String, Integer> warmups = new LinkedHashMap<>();
    private final Map<String, Double> warmupJit = new LinkedHashMap<>();

    private ServerCpuRun(Map<String, String> options) {
        this.options = options;
        this.pinned = new File("/usr/bin/taskset").canExecute() || new File("/bin/taskset").canExecute();
        this.javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.classPath = System.getProperty("java.class.path");
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("targets", "jetty,postgres,redis");
        options.put("rounds", "8");
        options.put("warmup", "2");
        options.put("seconds", "10");
        options.put("warmup-seconds", "5");
        options.put("max-warmup", "10");
        options.put("jit-quiet", "0.02");
        options.put("connections", "4");
        options.put("server-cpus", "0");
        options.put("load-cpus", "1");
        options.put("out", "benchmarks/target/results/cpu.json");
        options = HarnessOptions.parse(args, options);
        new ServerCpuRun(options).run();
    }

    private int intOption(String name) {
        return Integer.parseInt(options.get(name));
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        String startedAt = Instant.now().toString();
        if (!pinned) {
            System.out.println("taskset not found: server and load generator are NOT pinned to separate cores");
        }
        List<String> results = new ArrayList<>();
        try (Child load = start("load", List.of(LoadGenerator.class.getName(), options.get("connections")),
                options.get("load-cpus"), false)) {
            for (String target : options.get("targets").split(",")) {
                results.add(measure(target.trim(), load));
            }
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        StringBuilder json = new StringBuilder("{\n");
        json.append("  \"schema\": 1,\n");
        json.append("  \"started\": \"").append(startedAt).append("\",\n");
        json.append("  \"elapsed_s\": ").append(num(elapsed)).append(",\n");
        json.append("  \"pinned\": ").append(pinned).append(",\n");
        json.append("  \"server_cpus\": \"").append(pinned ? options.get("server-cpus") : "").append("\",\n");
        json.append("  \"load_cpus\": \"").append(pinned ? options.get("load-cpus") : "").append("\",\n");
        for (String key : List.of("rounds", "warmup", "seconds", "warmup-seconds", "connections")) {
            json.append("  \"").append(key.replace('-', '_')).append("\": ").append(options.get(key)).append(",\n");
        }
        json.append("  \"targets\": {\n").append(String.join(",\n", results)).append("\n  }\n}\n");
        Path out = Path.of(options.get("out"));
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, json);
        System.out.printf(Locale.ROOT, "wrote %s in %.0f s%n", out, elapsed);
    }

    /** Runs one target's rounds; returns its JSON member. */
    private String measure(String target, Child load) throws Exception {
        List<String> variants = new ArrayList<>(List.of("bare", "bareB", "vigil"));
        if (target.equals("jetty")) {
            variants.addAll(List.of("springObservation", "timedHandler"));
        }
        List<Closeable> backends = new ArrayList<>();
        Map<String, Child> servers = new LinkedHashMap<>();
        try {
            String backend = startBackend(target, backends);
            for (String variant : variants) {
                List<String> command = new ArrayList<>(List.of(AppServer.class.getName(), target, variant));
                if (backend != null) {
                    command.add(backend);
                }
                servers.put(variant, start(target + "-" + variant, command, options.get("server-cpus"), true));
            }
            Map<String, Integer> ports = new LinkedHashMap<>();
            for (Map.Entry<String, Child> server : servers.entrySet()) {
                ports.put(server.getKey(), Integer.parseInt(server.getValue().expect("port")));
            }
            int rounds = intOption("rounds");
            int warmup = intOption("warmup");
            Map<String, double[]> perRequest = new LinkedHashMap<>();
            Map<String, long[]> requests = new LinkedHashMap<>();
            Map<String, double[]> jit = new LinkedHashMap<>();
            Map<String, Long> sent = new LinkedHashMap<>();
            for (String variant : variants) {
                perRequest.put(variant, new double[rounds]);
                requests.put(variant, new long[rounds]);
                jit.put(variant, new double[rounds]);
                sent.put(variant, 0L);
            }
            int warmed = warmup > 0 ? 0 : -1;
            warmups.put(target, 0);
            warmupJit.put(target, Double.NaN);
            int maxWarmup = Math.max(warmup, intOption("max-warmup"));
            double jitQuiet = Double.parseDouble(options.get("jit-quiet"));
            for (int round = 0; round < rounds; ) {
                boolean warming = warmed >= 0;
                List<String> order = new ArrayList<>(variants);
                java.util.Collections.rotate(order, -((warming ? warmed : round) % variants.size()));
                long millis = 1000L * intOption(warming ? "warmup-seconds" : "seconds");
                StringBuilder line = new StringBuilder();
                double jitShare = 0;
                for (String variant : order) {
                    Child server = servers.get(variant);
                    long[] before = cpu(server);
                    String[] result = load.ask("run " + ports.get(variant) + " " + AppServer.path(target) + " " + millis,
                            "requests").split(" ");
                    long[] after = cpu(server);
                    long completed = Long.parseLong(result[0]);
                    if (!result[1].equals("errors=0") || completed == 0) {
                        throw new IllegalStateException(target + "-" + variant + ": load generator reported "
                                + String.join(" ", result));
                    }
                    sent.merge(variant, completed, Long::sum);
                    double jitPerRequest = (double) (after[1] - before[1]) / completed;
                    double nsPerRequest = (double) (after[0] - before[0]) / completed - jitPerRequest;
                    jitShare = Math.max(jitShare, jitPerRequest / (nsPerRequest + jitPerRequest));
                    if (!warming) {
                        perRequest.get(variant)[round] = nsPerRequest;
                        jit.get(variant)[round] = jitPerRequest;
                        requests.get(variant)[round] = completed;
                    }
                    line.append(String.format(Locale.ROOT, " %s=%.0fns/req(%d)", variant, nsPerRequest, completed));
                }
                System.out.println(target + (warming ? " warmup " + warmed : " round " + round) + ":" + line
                        + String.format(Locale.ROOT, " [JIT up to %.1f%% of a server's CPU]", jitShare * 100));
                if (!warming) {
                    round++;
                } else if (++warmed >= warmup && (jitShare <= jitQuiet || warmed >= maxWarmup)) {
                    // Code still being compiled runs slower than compiled code, in the request threads too: measure
                    // once the compilers are (nearly) idle in every server, or give up waiting at max-warmup.
                    if (jitShare > jitQuiet) {
                        System.out.printf(Locale.ROOT, "%s: JIT still at %.1f%% after %d warm-up rounds%n",
                                target, jitShare * 100, warmed);
                    }
                    warmups.put(target, warmed);
                    warmupJit.put(target, jitShare);
                    warmed = -1;
                }
            }
            StringBuilder json = new StringBuilder("    \"" + target + "\": {\n      \"variants\": {\n");
            List<String> members = new ArrayList<>();
            for (String variant : variants) {
                long recorded = Long.parseLong(servers.get(variant).ask("recorded", "recorded"));
                boolean instrumented = !variant.startsWith("bare");
                boolean ok = !instrumented || recorded >= sent.get(variant);
                if (!ok) {
                    throw new IllegalStateException(target + "-" + variant + " recorded " + recorded
                            + " requests but was sent " + sent.get(variant) + ": its instrumentation is broken");
                }
                Quartiles perReq = Quartiles.of(perRequest.get(variant));
                StringBuilder member = new StringBuilder("        \"" + variant + "\": {");
                member.append("\"cpu_ns_per_request\": ").append(array(perRequest.get(variant)));
                member.append(", \"jit_ns_per_request\": ").append(array(jit.get(variant)));
                member.append(", \"requests\": ").append(Arrays.toString(requests.get(variant)));
                member.append(", \"sent\": ").append(sent.get(variant));
                member.append(", \"recorded\": ").append(recorded);
                member.append(", \"median_ns\": ").append(num(perReq.median()));
                member.append(", \"q1_ns\": ").append(num(perReq.q1()));
                member.append(", \"q3_ns\": ").append(num(perReq.q3()));
                if (!variant.equals("bare")) {
                    double[] ratios = new double[rounds];
                    for (int r = 0; r < rounds; r++) {
                        ratios[r] = perRequest.get(variant)[r] / perRequest.get("bare")[r] - 1.0;
                    }
                    Quartiles overhead = Quartiles.of(ratios);
                    member.append(", \"overhead\": ").append(array(ratios));
                    member.append(", \"overhead_median\": ").append(num(overhead.median()));
                    member.append(", \"overhead_q1\": ").append(num(overhead.q1()));
                    member.append(", \"overhead_q3\": ").append(num(overhead.q3()));
                    System.out.printf(Locale.ROOT, "%s %s: %+.2f%% over bare (IQR %+.2f%% .. %+.2f%%)%s%n",
                            target, variant, overhead.median() * 100, overhead.q1() * 100, overhead.q3() * 100,
                            variant.equals("bareB") ? "  <- A/A control: the method's resolution" : "");
                }
                member.append("}");
                members.add(member.toString());
            }
            json.append(String.join(",\n", members)).append("\n      },\n");
            json.append("      \"warmup_rounds\": ").append(warmups.get(target)).append(",\n");
            json.append("      \"warmup_last_jit_share\": ").append(num(warmupJit.get(target))).append(",\n");
            json.append("      \"baseline\": \"bare\",\n      \"control\": \"bareB\"\n    }");
            return json.toString();
        } finally {
            for (Child server : servers.values()) {
                server.close();
            }
            for (Closeable backend : backends) {
                backend.close();
            }
        }
    }

    /** Starts the database a target reads (in this process's children, unpinned); returns how to reach it. */
    private static String startBackend(String target, List<Closeable> backends) throws Exception {
        switch (target) {
            case "jetty":
                return null;
            case "postgres": {
                EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                backends.add(postgres);
                try (Connection connection = postgres.getPostgresDatabase().getConnection();
                     Statement statement = connection.createStatement()) {
                    statement.execute(Accounts.CREATE_TABLE);
                    statement.execute("INSERT INTO account SELECT x, 'account-' || x, x * 100 FROM generate_series(1, "
                            + Accounts.COUNT + ") AS x");
                    statement.execute("ANALYZE account");
                }
                return postgres.getJdbcUrl("postgres", "postgres");
            }
            case "redis": {
                EmbeddedRedisServer redis = EmbeddedRedisServer.start();
                backends.add(redis::close);
                try (var client = io.lettuce.core.RedisClient.create(
                        io.lettuce.core.RedisURI.create(EmbeddedRedisServer.HOST, redis.port()));
                     var connection = client.connect()) {
                    connection.sync().set(AppServer.REDIS_KEY,
                            "{\"user\":48213,\"roles\":[\"reader\"],\"exp\":1767225600}");
                } 
                return EmbeddedRedisServer.HOST + ":" + redis.port();
            }
            default:
                throw new IllegalArgumentException("Unknown target " + target);
        }
    }

    /** {process CPU ns, of which JIT compiler threads} of one server. */
    private static long[] cpu(Child server) throws IOException {
        String[] fields = server.ask("cpu", "cpu_ns").split(" jit_ns=");
        return new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1])};
    }

    private Child start(String name, List<String> mainAndArgs, String cpus, boolean server) throws IOException {
        List<String> command = new ArrayList<>();
        if (pinned) {
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.add(javaCommand);
        // The same fixed heap for every server, so GC work per request does not depend on heap sizing.
        command.addAll(server ? List.of("-Xms256m", "-Xmx256m", "-XX:-UseDynamicNumberOfCompilerThreads")
                : List.of("-Xms128m", "-Xmx128m"));
        command.addAll(List.of("-cp", classPath));
        command.addAll(mainAndArgs);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new Child(name, process);
    }

    private static String array(double[] values) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            out.append(i == 0 ? "" : ", ").append(num(values[i]));
        }
        return out.append("]").toString();
    }

    private static String num(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.6g", value) : "null";
    }

    /** A child JVM spoken to by lines on its stdin and stdout. */
    private static final class Child implements Closeable {
        private final String name;
        private final Process process;
        private final BufferedWriter in;
        private final BufferedReader out;

        Child(String name, Process process) {
            this.name = name;
            this.process = process;
            this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII));
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        }

        /** Sends {@code command} and returns the value of the first {@code key=} line it answers. */
        String ask(String command, String key) throws IOException {
            in.write(command);
            in.newLine();
            in.flush();
            return expect(key);
        }

        /** Reads lines until one starts with {@code key=}; returns what follows it. */
        String expect(String key) throws IOException {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith(key + "=")) {
                    return line.substring(key.length() + 1);
                }
                if (line.startsWith("error=")) {
                    throw new IOException(name + ": " + line);
                }
            }
            throw new IOException(name + " exited (" + waitExit() + ") before answering " + key);
        }

        private String waitExit() {
            try {
                return process.waitFor(5, TimeUnit.SECONDS) ? "status " + process.exitValue() : "still running";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }

        @Override
        public void close() {
            try {
                in.write("quit");
                in.newLine();
                in.flush();
            } catch (IOException ignored) {
                // Already gone.
            }
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroy();
                    if (!process.waitFor(5, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
