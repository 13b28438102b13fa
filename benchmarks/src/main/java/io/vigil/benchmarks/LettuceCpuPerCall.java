package io.vigil.benchmarks;

import java.util.Arrays;

/**
 * {@link LettuceStubBenchmark}'s GET as the calling thread's CPU time per call, the {@link CpuPerCall} way:
 * bare, Vigil and a no-op listener on Lettuce's listener machinery run in an order rotated every round,
 * {@code rounds} rounds of 200,000 calls; printed: each variant's median, and the median and interquartile range
 * of the per-round differences to bare (the no-op one is the part of Vigil's cost that any listener pays).
 * Then both count checks: the stub answered every GET and Vigil recorded each.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.vigil.benchmarks.LettuceCpuPerCall [rounds]}
 */
public final class LettuceCpuPerCall {

    private LettuceCpuPerCall() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        try (LettuceStub bare = LettuceStub.bare(); LettuceStub vigil = LettuceStub.vigil();
                LettuceStub noop = LettuceStub.noopListener()) {
            CpuPerCall.Call[] calls = {bare::get, vigil::get, noop::get};
            for (int i = 0; i < 5; i++) {
                for (CpuPerCall.Call call : calls) {
                    CpuPerCall.perCall(call);
                }
            }
            double[][] ns = new double[3][rounds];
            double[] overhead = new double[rounds];
            double[] lettuce = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < 3; k++) {
                    int which = (r + k) % 3;
                    ns[which][r] = CpuPerCall.perCall(calls[which]);
                }
                overhead[r] = ns[1][r] - ns[0][r];
                lettuce[r] = ns[2][r] - ns[0][r];
            }
            for (double[] variant : ns) {
                Arrays.sort(variant);
            }
            Arrays.sort(overhead);
            Arrays.sort(lettuce);
            System.out.printf("lettuce stub GET, ns/call, median [IQR] of %d rounds: bare %.1f [%.1f, %.1f]  "
                    + "vigil %.1f [%.1f, %.1f]  no-op listener %.1f [%.1f, %.1f]%n", rounds,
                    ns[0][rounds / 2], ns[0][rounds / 4], ns[0][3 * rounds / 4],
                    ns[1][rounds / 2], ns[1][rounds / 4], ns[1][3 * rounds / 4],
                    ns[2][rounds / 2], ns[2][rounds / 4], ns[2][3 * rounds / 4]);
            System.out.printf("per-round differences: vigil - bare %.1f [%.1f, %.1f]  "
                    + "no-op listener - bare (Lettuce's listener machinery) %.1f [%.1f, %.1f]%n",
                    overhead[rounds / 2], overhead[rounds / 4], overhead[3 * rounds / 4],
                    lettuce[rounds / 2], lettuce[rounds / 4], lettuce[3 * rounds / 4]);
            vigil.verifyRecorded(vigil.sent());
            System.out.printf("checked: vigil recorded all %d GETs it was sent (bare sent %d)%n", vigil.sent(),
                    bare.sent());
        }
    }
}
