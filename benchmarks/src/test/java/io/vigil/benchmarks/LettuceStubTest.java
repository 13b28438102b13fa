package io.vigil.benchmarks;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The Lettuce stub answers GETs through Lettuce's own command path, and its count check holds only when every GET
 * went through Vigil's listener.
 */
class LettuceStubTest {

    private static final int GETS = 25;
    private static final long REPLY_LENGTH = StubCommandExecutor.REPLY.getBytes(StandardCharsets.UTF_8).length;

    @Test
    void bareAnswersEveryGetWithTheStubReply() {
        try (LettuceStub bare = LettuceStub.bare()) {
            for (int i = 0; i < GETS; i++) {
                assertThat(bare.get()).isEqualTo(REPLY_LENGTH);
            }
            assertThat(bare.sent()).isEqualTo(GETS);
        }
    }

    @Test
    void vigilRecordsEveryGetItWasSent() {
        try (LettuceStub vigil = LettuceStub.vigil()) {
            for (int i = 0; i < GETS; i++) {
                assertThat(vigil.get()).isEqualTo(REPLY_LENGTH);
            }
            assertThat(vigil.sent()).isEqualTo(GETS);
            assertThatNoException().isThrownBy(() -> vigil.verifyRecorded(vigil.sent()));
            assertThatIllegalStateException().isThrownBy(() -> vigil.verifyRecorded(vigil.sent() + 1));
        }
    }

    @Test
    void theCountCheckFailsWhenVigilsListenerIsAbsent() {
        try (LettuceStub unwired = LettuceStub.unwired()) {
            for (int i = 0; i < GETS; i++) {
                assertThat(unwired.get()).isEqualTo(REPLY_LENGTH);
            }
            assertThatIllegalStateException().isThrownBy(() -> unwired.verifyRecorded(unwired.sent()))
                    .withMessage("vigil recorded 0 GETs and 0 cache hits of the " + GETS
                            + " GETs it was sent: the comparison would not be fair");
        }
    }
}
