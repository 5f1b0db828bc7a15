package io.flinkcommander.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandConsumerLagTest {

    @Test
    void lagIsWhatLiesBetweenTheCommittedOffsetAndTheEnd() {
        assertThat(CommandConsumerLag.lag(120L, 100L, 0L)).isEqualTo(20);
        assertThat(CommandConsumerLag.lag(120L, 120L, 0L)).isZero();
    }

    @Test
    void aGroupThatNeverCommittedStartsAtTheBeginning() {
        assertThat(CommandConsumerLag.lag(120L, null, 70L)).isEqualTo(50);
    }

    @Test
    void lagIsNeverNegativeNorInventedForAnUnknownEnd() {
        assertThat(CommandConsumerLag.lag(100L, 120L, 0L)).isZero();
        assertThat(CommandConsumerLag.lag(null, 10L, 0L)).isZero();
    }
}
