package io.flinkcommander.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    /** 1 ms, 2 ms, ..., 1000 ms, in a shuffled order. */
    private static final long[] THOUSAND = LongStream.rangeClosed(1, 1000).map(i -> (i * 7919 % 1000 + 1) * 1_000_000)
            .toArray();

    @Test
    void percentilesAreNearestRank() {
        Latencies latencies = Latencies.of(THOUSAND, THOUSAND.length);

        assertThat(latencies.millis(0.50)).isEqualTo(500.0);
        assertThat(latencies.millis(0.99)).isEqualTo(990.0);
        assertThat(latencies.millis(1.0)).isEqualTo(1000.0);
        assertThat(latencies.figures()).containsEntry("p95Ms", 950.0).containsEntry("maxMs", 1000.0);
    }

    @Test
    void onlyTheFirstCountValuesCount() {
        Latencies latencies = Latencies.of(new long[] {3_000_000, 1_000_000, 99_000_000}, 2);

        assertThat(latencies.count()).isEqualTo(2);
        assertThat(latencies.millis(1.0)).isEqualTo(3.0);
    }

    @Test
    void distributionSpacesP90P99AndP999Evenly() {
        double[][] points = Latencies.of(THOUSAND, THOUSAND.length).distribution(4);

        assertThat(points[0]).containsExactly(0, 1, 2, 3);
        assertThat(points[1][0]).isEqualTo(1);
        assertThat(points[1][1]).isEqualTo(900);
        assertThat(points[1][2]).isEqualTo(990);
        assertThat(points[1][3]).isBetween(999.0, 1000.0);
    }

    @Test
    void noLatenciesGiveZerosAndAnEmptyDistribution() {
        Latencies none = Latencies.of(new long[0], 0);

        assertThat(none.millis(0.99)).isZero();
        assertThat(none.distribution(10)[0]).isEmpty();
    }
}
