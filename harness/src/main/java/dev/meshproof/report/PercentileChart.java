package dev.meshproof.report;

import dev.meshproof.agent.load.LoadResult;
import dev.meshproof.bench.BenchmarkSummary;
import org.HdrHistogram.Histogram;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;

/**
 * The percentile distribution chart (HdrHistogram's classic plot): x is the percentile on a
 * {@code 1/(1-q)} log scale, so 90 %, 99 %, 99.9 % are evenly spaced; y is latency in µs; one line per mode,
 * pooled over its repetitions.
 */
public final class PercentileChart {
    public static final String FILE = "latency-percentiles.png";
    private static final double[] PERCENTILES = {0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 92.5, 95, 96, 97, 98,
            99, 99.3, 99.5, 99.7, 99.9, 99.93, 99.95, 99.97, 99.99};

    private PercentileChart() {
    }

    public static Path write(BenchmarkSummary s, Path dir) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (BenchmarkSummary.ModeSummary m : s.modes()) {
            Histogram pooled = new Histogram(3);
            m.repetitions().forEach(r -> pooled.add(LoadResult.decode(r.histogram())));
            if (pooled.getTotalCount() == 0) {
                continue;
            }
            XYSeries series = new XYSeries(m.name());
            for (double p : PERCENTILES) {
                series.add(1 / (1 - p / 100), pooled.getValueAtPercentile(p) / 1000.0);
            }
            data.addSeries(series);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Latency by percentile: " + s.profile().name(),
                "percentile", "latency (µs, from intended send time)", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        LogAxis x = new LogAxis("percentile");
        x.setBase(10);
        x.setTickUnit(new NumberTickUnit(1));
        x.setNumberFormatOverride(new PercentileFormat());
        x.setRange(1, 1 / (1 - 99.99 / 100));
        plot.setDomainAxis(x);
        LogAxis y = new LogAxis("latency (µs, from intended send time; log scale)");
        y.setBase(10);
        y.setStandardTickUnits(org.jfree.chart.axis.NumberAxis.createIntegerTickUnits());
        y.setSmallestValue(1);
        plot.setRangeAxis(y);
        plot.setBackgroundPaint(java.awt.Color.WHITE);
        plot.setDomainGridlinePaint(java.awt.Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(java.awt.Color.LIGHT_GRAY);
        Path file = dir.resolve(FILE);
        try {
            ChartUtils.saveChartAsPNG(file.toFile(), chart, 960, 540);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Labels the 1/(1-q) axis ticks as percentiles: 10 → 90%, 100 → 99%, 1000 → 99.9%. */
    private static final class PercentileFormat extends NumberFormat {
        private final DecimalFormat format = new DecimalFormat("0.###");

        @Override
        public StringBuffer format(double number, StringBuffer toAppendTo, FieldPosition pos) {
            return toAppendTo.append(format.format(100 * (1 - 1 / number))).append('%');
        }

        @Override
        public StringBuffer format(long number, StringBuffer toAppendTo, FieldPosition pos) {
            return format((double) number, toAppendTo, pos);
        }

        @Override
        public Number parse(String source, ParsePosition parsePosition) {
            return null;
        }
    }
}
