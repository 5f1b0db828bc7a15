package io.flinkcommander.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartTest {

    private final Chart chart = new Chart("Latency <p99>", Chart.Axis.linear("x", 10),
            Chart.Axis.logarithmic("ms", 3, 4000), List.of(
                    new Chart.Series("a", new double[] {0, 5, 10}, new double[] {3, 30, 4000}),
                    new Chart.Series("b", new double[] {0, 10}, new double[] {10, 100})));

    @Test
    void svgHasOneLinePerSeriesAndNothingExternal() {
        String svg = chart.svg();

        assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"");
        assertThat(svg.split("<polyline", -1)).hasSize(3);
        assertThat(svg).contains("Latency &lt;p99&gt;").doesNotContain("<script").doesNotContain("href");
        assertThat(svg.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http");
    }

    @Test
    void logarithmicAxisSpansWholeDecades() {
        Chart.Axis axis = Chart.Axis.logarithmic("ms", 3, 4000);

        assertThat(axis.min()).isEqualTo(1);
        assertThat(axis.max()).isEqualTo(10_000);
        assertThat(axis.ticks()).extracting(Chart.Tick::label).containsExactly("1", "10", "100", "1,000", "10,000");
        assertThat(axis.fraction(100)).isEqualTo(0.5);
    }

    @Test
    void linearAxisHasRoundTicksFromZero() {
        assertThat(Chart.Axis.linear("s", 27).ticks()).extracting(Chart.Tick::value)
                .containsExactly(0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0);
    }

    @Test
    void pngIsAnImageOfTheChartsSize(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("chart.png");

        chart.png(file);

        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image.getWidth()).isEqualTo(Chart.WIDTH);
        assertThat(image.getHeight()).isEqualTo(Chart.HEIGHT);
    }
}
