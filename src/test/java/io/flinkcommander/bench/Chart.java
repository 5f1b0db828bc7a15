package io.flinkcommander.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

/**
 * A line chart drawn by hand, once for SVG (inlined in a self-contained HTML page: no scripts, no
 * downloads) and once for PNG (java.awt, headless), from the same drawing code.
 */
final class Chart {

    static final int WIDTH = 900;
    static final int HEIGHT = 440;
    private static final int LEFT = 80;
    private static final int RIGHT = 260;
    private static final int TOP = 40;
    private static final int BOTTOM = 55;
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};

    record Tick(double value, String label) {
    }

    record Axis(String label, boolean log, double min, double max, List<Tick> ticks) {

        /** Logarithmic, from the power of ten below the smallest value to the one above the largest. */
        static Axis logarithmic(String label, double smallest, double largest) {
            double min = Math.pow(10, Math.floor(Math.log10(Math.max(smallest, 0.1))));
            double max = Math.pow(10, Math.ceil(Math.log10(Math.max(largest, min * 10))));
            List<Tick> ticks = new ArrayList<>();
            for (double decade = min; decade <= max; decade *= 10) {
                ticks.add(new Tick(decade, format(decade)));
            }
            return new Axis(label, true, min, max, ticks);
        }

        /** Linear from 0, with about five round ticks. */
        static Axis linear(String label, double largest) {
            double step = Math.pow(10, Math.floor(Math.log10(Math.max(largest, 1) / 5)));
            for (double factor : new double[] {1, 2, 5, 10}) {
                if (largest / (step * factor) <= 6) {
                    step *= factor;
                    break;
                }
            }
            List<Tick> ticks = new ArrayList<>();
            double max = Math.max(step, Math.ceil(largest / step) * step);
            for (double v = 0; v <= max + step / 2; v += step) {
                ticks.add(new Tick(v, format(v)));
            }
            return new Axis(label, false, 0, max, ticks);
        }

        double fraction(double value) {
            if (log) {
                return (Math.log10(Math.max(value, min)) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
            }
            return (value - min) / (max - min);
        }

        private static String format(double v) {
            return v == Math.rint(v) ? String.format("%,d", (long) v) : String.valueOf(v);
        }
    }

    record Series(String name, double[] x, double[] y) {
    }

    private final String title;
    private final Axis x;
    private final Axis y;
    private final List<Series> series;

    Chart(String title, Axis x, Axis y, List<Series> series) {
        this.title = title;
        this.x = x;
        this.y = y;
        this.series = series;
    }

    /** What both renderings can do. */
    private interface Canvas {
        void line(double x1, double y1, double x2, double y2, String color, float width);

        void polyline(double[] xs, double[] ys, String color, float width);

        /** anchor: "start", "middle" or "end"; rotated: vertical text reading upwards. */
        void text(double x, double y, String text, String anchor, int size, boolean rotated);
    }

    String svg() {
        StringBuilder out = new StringBuilder();
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" font-family=\"sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        draw(new Canvas() {
            @Override
            public void line(double x1, double y1, double x2, double y2, String color, float width) {
                out.append(String.format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"/>%n",
                        x1, y1, x2, y2, color, width));
            }

            @Override
            public void polyline(double[] xs, double[] ys, String color, float width) {
                out.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"").append(width)
                        .append("\" points=\"");
                for (int i = 0; i < xs.length; i++) {
                    out.append(String.format("%.1f,%.1f ", xs[i], ys[i]));
                }
                out.append("\"/>\n");
            }

            @Override
            public void text(double x, double y, String text, String anchor, int size, boolean rotated) {
                out.append(String.format("<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%s\"%s>%s</text>%n", x, y,
                        size, anchor, rotated ? String.format(" transform=\"rotate(-90 %.1f %.1f)\"", x, y) : "",
                        escape(text)));
            }
        });
        return out.append("</svg>\n").toString();
    }

    void png(Path file) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        draw(new Canvas() {
            @Override
            public void line(double x1, double y1, double x2, double y2, String color, float width) {
                g.setColor(Color.decode(color));
                g.setStroke(new BasicStroke(width));
                g.draw(new java.awt.geom.Line2D.Double(x1, y1, x2, y2));
            }

            @Override
            public void polyline(double[] xs, double[] ys, String color, float width) {
                Path2D.Double path = new Path2D.Double();
                for (int i = 0; i < xs.length; i++) {
                    if (i == 0) {
                        path.moveTo(xs[i], ys[i]);
                    } else {
                        path.lineTo(xs[i], ys[i]);
                    }
                }
                g.setColor(Color.decode(color));
                g.setStroke(new BasicStroke(width));
                g.draw(path);
            }

            @Override
            public void text(double x, double y, String text, String anchor, int size, boolean rotated) {
                g.setColor(Color.BLACK);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
                int width = g.getFontMetrics().stringWidth(text);
                double shift = anchor.equals("middle") ? width / 2.0 : anchor.equals("end") ? width : 0;
                if (rotated) {
                    Graphics2D r = (Graphics2D) g.create();
                    r.rotate(-Math.PI / 2, x, y);
                    r.drawString(text, (float) (x - shift), (float) y);
                    r.dispose();
                } else {
                    g.drawString(text, (float) (x - shift), (float) y);
                }
            }
        });
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private void draw(Canvas c) {
        double plotWidth = WIDTH - LEFT - RIGHT;
        double plotHeight = HEIGHT - TOP - BOTTOM;
        c.text(LEFT + plotWidth / 2, 22, title, "middle", 15, false);
        for (Tick tick : x.ticks()) {
            double px = LEFT + x.fraction(tick.value()) * plotWidth;
            c.line(px, TOP, px, TOP + plotHeight, "#dddddd", 1);
            c.text(px, TOP + plotHeight + 18, tick.label(), "middle", 11, false);
        }
        for (Tick tick : y.ticks()) {
            double py = TOP + plotHeight - y.fraction(tick.value()) * plotHeight;
            c.line(LEFT, py, LEFT + plotWidth, py, "#dddddd", 1);
            c.text(LEFT - 6, py + 4, tick.label(), "end", 11, false);
        }
        c.line(LEFT, TOP + plotHeight, LEFT + plotWidth, TOP + plotHeight, "#000000", 1);
        c.line(LEFT, TOP, LEFT, TOP + plotHeight, "#000000", 1);
        c.text(LEFT + plotWidth / 2, HEIGHT - 12, x.label(), "middle", 12, false);
        c.text(18, TOP + plotHeight / 2, y.label(), "middle", 12, true);
        for (int s = 0; s < series.size(); s++) {
            Series one = series.get(s);
            String color = COLORS[s % COLORS.length];
            double[] xs = new double[one.x().length];
            double[] ys = new double[one.y().length];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = LEFT + Math.min(1, Math.max(0, x.fraction(one.x()[i]))) * plotWidth;
                ys[i] = TOP + plotHeight - Math.min(1, Math.max(0, y.fraction(one.y()[i]))) * plotHeight;
            }
            c.polyline(xs, ys, color, 2);
            double ly = TOP + 10 + s * 20;
            c.line(WIDTH - RIGHT + 12, ly, WIDTH - RIGHT + 34, ly, color, 3);
            c.text(WIDTH - RIGHT + 40, ly + 4, one.name(), "start", 11, false);
        }
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
