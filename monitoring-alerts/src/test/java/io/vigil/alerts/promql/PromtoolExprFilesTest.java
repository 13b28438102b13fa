package io.vigil.alerts.promql;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Vigil's half of the contract: every promql_expr_test case of the promtool files, through Vigil's engine. */
class PromtoolExprFilesTest {

    @TestFactory
    List<DynamicNode> everyCaseGivesPromtoolsAnswer() {
        List<DynamicNode> files = new ArrayList<>();
        for (Path file : PromtoolFiles.exprFiles()) {
            PromtoolTestFile parsed = PromtoolTestFile.read(file);
            List<DynamicNode> cases = new ArrayList<>();
            int g = 0;
            for (PromtoolTestFile.TestGroup group : parsed.tests()) {
                g++;
                for (PromtoolTestFile.ExprTest test : group.exprTests()) {
                    cases.add(DynamicTest.dynamicTest("group " + g + ": " + test.expr() + " @ "
                            + Durations.format(test.evalTimeMillis()), () -> {
                        Optional<String> failure = PromtoolExprTestRunner.run(group, test);
                        assertThat(failure).as(file.toString()).isEmpty();
                    }));
                }
            }
            files.add(DynamicContainer.dynamicContainer(file.getFileName().toString(), cases));
        }
        return files;
    }

    @Test
    void theCorpusIsLargeEnoughToMeanSomething() {
        int cases = 0;
        for (Path file : PromtoolFiles.exprFiles()) {
            for (PromtoolTestFile.TestGroup group : PromtoolTestFile.read(file).tests()) {
                cases += group.exprTests().size();
            }
        }
        assertThat(cases).isGreaterThanOrEqualTo(40);
    }
}
