package dev.phoenix.bench;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Draws compare.sh's results as a PNG bar chart: for each workload and target, the time of
 * native, qemu-user and Phoenix relative to qemu-user (1.0), on a log scale so that 0.5x and 2x
 * look alike. Reads the CSV compare.sh writes: {@code workload,target,engine,median,unit}.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.phoenix.bench.Chart RESULTS.csv OUT.png "subtitle"}
 */
public final class Chart {
    private Chart() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: Chart RESULTS.csv OUT.png [SUBTITLE]");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        DefaultCategoryDataset data = relativeToQemu(Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8));
        JFreeChart chart = ChartFactory.createBarChart("Phoenix vs qemu-user (time relative to qemu-user; lower is faster)",
                null, "x qemu-user", data, PlotOrientation.VERTICAL, true, false, false);
        if (args.length > 2) {
            chart.addSubtitle(new TextTitle(args[2], new Font(Font.SANS_SERIF, Font.PLAIN, 11)));
        }
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        LogAxis axis = new LogAxis("time / qemu-user time");
        axis.setNumberFormatOverride(new DecimalFormat("0.##"));
        double[] span = span(data);
        axis.setRange(span[0] / 1.5, span[1] * 1.5);
        plot.setRangeAxis(axis);
        plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        BarRenderer bars = (BarRenderer) plot.getRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setSeriesPaint(0, new Color(0x4e79a7));
        bars.setSeriesPaint(1, new Color(0x9c9c9c));
        bars.setSeriesPaint(2, new Color(0xe15759));
        ChartUtils.saveChartAsPNG(Path.of(args[1]).toFile(), chart, 1200, 650);
    }

    /** The smallest and largest ratio drawn. */
    private static double[] span(DefaultCategoryDataset data) {
        double lo = 1, hi = 1;
        for (int r = 0; r < data.getRowCount(); r++) {
            for (int c = 0; c < data.getColumnCount(); c++) {
                Number v = data.getValue(r, c);
                if (v != null) {
                    lo = Math.min(lo, v.doubleValue());
                    hi = Math.max(hi, v.doubleValue());
                }
            }
        }
        return new double[] {lo, hi};
    }

    /** Each engine's median over qemu-user's, per "workload / target"; rows without a qemu figure are left out. */
    static DefaultCategoryDataset relativeToQemu(List<String> csv) {
        Map<String, Map<String, Double>> byCase = new LinkedHashMap<>();
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",");
            if (f.length < 4 || f[3].equals("n/a")) {
                continue;
            }
            byCase.computeIfAbsent(f[0] + " / " + f[1], k -> new LinkedHashMap<>()).put(f[2], Double.parseDouble(f[3]));
        }
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        byCase.forEach((c, engines) -> {
            Double qemu = engines.get("qemu-user");
            if (qemu == null || qemu <= 0) {
                return;
            }
            for (String engine : List.of("native", "qemu-user", "phoenix")) {
                Double v = engines.get(engine);
                if (v != null && v > 0) {
                    data.addValue(v / qemu, engine, c);
                }
            }
        });
        return data;
    }
}
