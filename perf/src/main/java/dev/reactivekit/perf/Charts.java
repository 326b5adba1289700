package dev.reactivekit.perf;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The PNG bar charts of a {@link Report} (XChart, drawn headless): per case the median of each series, and per
 * scenario how many times each baseline's speed ours has, case by case (cases by their number in the report); error bars reach the farther of the rounds' min and max
 * (XChart draws them symmetric).
 */
final class Charts {

    private static final int WIDTH = 760;
    private static final int HEIGHT = 400;
    private static final Color OURS = new Color(0x1f, 0x77, 0xb4);
    /** The baselines, each its own colour so the legend tells them apart. */
    private static final Color[] BASELINES = {new Color(0xff, 0x7f, 0x0e), new Color(0x2c, 0xa0, 0x2c),
        new Color(0x94, 0x67, 0xbd), new Color(0x8c, 0x56, 0x4b), new Color(0x7f, 0x7f, 0x7f),
        new Color(0xbc, 0xbd, 0x22), new Color(0x17, 0xbe, 0xcf), new Color(0xe3, 0x77, 0xc2)};

    private Charts() {
    }

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** The medians of {@code c}'s series with their spread. */
    static void caseChart(Report.Case c, Path png) throws IOException {
        CategoryChart chart = chart(c.scenario() + ": " + c.title(), c.unit() + (c.higherIsBetter()
                ? " (more is better)" : " (less is better)"));
        int baseline = 0;
        for (Report.Series s : c.series()) {
            double median = s.median();
            double spread = Math.max(median - s.min(), s.max() - median);
            boolean ours = s.name().equals(c.ours()) || c.ours() == null;
            chart.addSeries(s.name(), List.of(" "), List.of(median), List.of(spread))
                    .setFillColor(ours ? OURS : BASELINES[baseline++ % BASELINES.length]);
        }
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        save(chart, png);
    }

    /**
     * Ours against each baseline, case by case, as the median of the round-by-round speed ratios; false (nothing
     * drawn) when no case of the scenario has a baseline.
     */
    static boolean speedupChart(String scenario, List<Report.Case> cases, Path png) throws IOException {
        List<String> labels = new ArrayList<>();
        List<Double> medians = new ArrayList<>();
        List<Double> spreads = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Report.Case c = cases.get(i);
            for (Report.Series baseline : c.baselines()) {
                List<Double> ratios = c.speedups(baseline.name());
                double median = Measurements.median(ratios);
                double min = ratios.stream().mapToDouble(Double::doubleValue).min().orElse(median);
                double max = ratios.stream().mapToDouble(Double::doubleValue).max().orElse(median);
                // cases by their number in the report ("echo 2"), the baseline by name
                labels.add((i + 1) + ": vs " + shorten(baseline.name()));
                medians.add(median);
                spreads.add(Math.max(median - min, max - median));
            }
        }
        if (labels.isEmpty()) {
            return false;
        }
        List<Double> sorted = new ArrayList<>(medians);
        sorted.sort(Double::compare);
        double typical = Math.max(sorted.get(sorted.size() / 2), 1);
        // A far-off ratio (COPY against row-by-row inserts) would flatten all the others: its bar runs off the top,
        // its ratio written in its label.
        double cap = sorted.get(sorted.size() - 1) > 10 * typical ? Math.ceil(4 * typical) : Double.NaN;
        for (int i = 0; i < labels.size(); i++) {
            if (medians.get(i) > cap) {
                labels.set(i, labels.get(i) + String.format(java.util.Locale.ROOT, " (%.0fx)", medians.get(i)));
            }
        }
        CategoryChart chart = chart(scenario + ": ours vs each baseline", "times its speed (1 = equal)",
                labels.size() > 2 ? HEIGHT + 160 : HEIGHT);
        chart.addSeries("ours vs baseline", labels, medians, spreads).setFillColor(OURS);
        chart.getStyler().setLegendVisible(false);
        // upright labels under their bars: slanted ones are drawn past their bar, under the next one
        chart.getStyler().setXAxisLabelRotation(labels.size() > 2 ? 90 : 0);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsPosition(1.0);
        chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
        chart.getStyler().setLabelsFontColor(Color.BLACK);
        if (!Double.isNaN(cap)) {
            chart.getStyler().setYAxisMax(cap);
        }
        chart.getStyler().setyAxisTickLabelsFormattingFunction(v -> String.format(java.util.Locale.ROOT, "%.2fx", v));
        save(chart, png);
        return true;
    }

    private static CategoryChart chart(String title, String yTitle) {
        return chart(title, yTitle, HEIGHT);
    }

    private static CategoryChart chart(String title, String yTitle, int height) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(height).title(title).yAxisTitle(yTitle)
                .build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        chart.getStyler().setErrorBarsColor(Color.BLACK);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisDecimalPattern("#,##0.##");
        chart.getStyler().setToolTipsEnabled(false);
        return chart;
    }

    private static String shorten(String s) {
        return s.length() <= 32 ? s : s.substring(0, 30) + "..";
    }

    private static void save(CategoryChart chart, Path png) throws IOException {
        String file = png.toString();
        BitmapEncoder.saveBitmap(chart, file.substring(0, file.length() - ".png".length()),
                BitmapEncoder.BitmapFormat.PNG);
    }
}
