package org.tsr.standalone.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.TickUnit;
import org.jfree.chart.axis.TickUnitSource;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * Line charts of a figure per method, each point a mean with its 95% interval drawn as an error bar; the axes' numbers
 * are written the same in every locale.
 */
public final class Charts {

    private static final Color[] COLORS = {
        new Color(0x1f77b4),
        new Color(0xd62728),
        new Color(0x2ca02c),
        new Color(0xff7f0e),
        new Color(0x9467bd),
        new Color(0x8c564b)
    };

    /** One point of a series. */
    public record Point(double x, Interval y) {}

    private Charts() {}

    public static void line(Path file, String title, String xLabel, String yLabel, Map<String, List<Point>> series) {
        line(file, title, xLabel, yLabel, series, null, null);
    }

    /**
     * @param yRange the y axis from the first to the second value, or null to fit the data
     * @param marker a dashed horizontal line at this y with its label, or null
     */
    public static void line(
            Path file,
            String title,
            String xLabel,
            String yLabel,
            Map<String, List<Point>> series,
            double[] yRange,
            Map.Entry<String, Double> marker) {
        System.setProperty("java.awt.headless", "true");
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (Map.Entry<String, List<Point>> entry : series.entrySet()) {
            YIntervalSeries line = new YIntervalSeries(entry.getKey());
            for (Point point : entry.getValue()) {
                if (point.y().present()) {
                    line.add(
                            point.x(),
                            point.y().mean(),
                            point.y().low(),
                            point.y().high());
                }
            }
            data.addSeries(line);
        }
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDrawXError(false);
        renderer.setDefaultLinesVisible(true);
        renderer.setDefaultShapesVisible(true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, COLORS[i % COLORS.length]);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            renderer.setSeriesLinesVisible(i, true);
        }
        NumberAxis x = new NumberAxis(xLabel);
        boolean wholeX =
                series.values().stream().flatMap(List::stream).allMatch(point -> point.x() == Math.rint(point.x()));
        if (wholeX) {
            x.setStandardTickUnits(new RootLocaleTickUnits(NumberAxis.createIntegerTickUnits()));
        } else {
            x.setStandardTickUnits(new RootLocaleTickUnits(NumberAxis.createStandardTickUnits()));
            x.setAutoRangeIncludesZero(false);
        }
        NumberAxis y = new NumberAxis(yLabel);
        y.setStandardTickUnits(new RootLocaleTickUnits(NumberAxis.createStandardTickUnits()));
        y.setAutoRangeIncludesZero(false);
        if (yRange != null) {
            y.setRange(yRange[0], yRange[1]);
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        if (marker != null) {
            ValueMarker line = new ValueMarker(marker.getValue());
            line.setPaint(Color.DARK_GRAY);
            line.setStroke(
                    new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            line.setLabel(marker.getKey());
            line.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            line.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
            plot.addRangeMarker(line);
        }
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        try {
            ChartUtils.saveChartAsPNG(file.toFile(), chart, 760, 440);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the chart " + file, e);
        }
    }

    /**
     * JFreeChart's own tick units, their labels in {@link Locale#ROOT}: the same sizes and the same pattern per power
     * of ten as {@code NumberTickUnitSource}, whose formats take the default locale's decimal separator.
     */
    private record RootLocaleTickUnits(TickUnitSource units) implements TickUnitSource {

        @Override
        public TickUnit getLargerTickUnit(TickUnit unit) {
            TickUnit ceiling = units.getCeilingTickUnit(unit.getSize());
            return inRootLocale(ceiling.getSize() > unit.getSize() ? ceiling : units.getLargerTickUnit(ceiling));
        }

        @Override
        public TickUnit getCeilingTickUnit(TickUnit unit) {
            return getCeilingTickUnit(unit.getSize());
        }

        @Override
        public TickUnit getCeilingTickUnit(double size) {
            return inRootLocale(units.getCeilingTickUnit(size));
        }

        private static TickUnit inRootLocale(TickUnit unit) {
            int power = (int) Math.floor(Math.log10(unit.getSize()) + 1e-9);
            String pattern = switch (power) {
                case -4 -> "0.0000";
                case -3 -> "0.000";
                case -2 -> "0.00";
                case -1 -> "0.0";
                default -> power >= 0 && power <= 6 ? "#,##0" : "#.######E0";
            };
            return new NumberTickUnit(
                    unit.getSize(),
                    new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT)),
                    unit.getMinorTickCount());
        }
    }
}
