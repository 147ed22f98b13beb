package io.invoiceharvester.summary;

import io.invoiceharvester.ledger.table.LedgerFigures.MonthCost;
import io.invoiceharvester.model.Providers;
import io.invoiceharvester.values.Amounts;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The summary's trend: billed cost per month, one bar per provider, one panel per currency (amounts of
 * different currencies never share an axis), drawn headless as a PNG; and the same figures as a table.
 */
final class CostChart {

    /** The summary's HTML shows the image by this Content-ID (a cid: part, nothing fetched). */
    static final String CONTENT_ID = "billed-cost-chart@invoice-harvester";
    static final int MONTHS = 12;
    private static final int WIDTH = 720;
    private static final int PANEL_HEIGHT = 240;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0x9467bd)};

    private static final Logger LOG = LoggerFactory.getLogger(CostChart.class);

    private final List<YearMonth> months;
    /** currency, then "Provider" → month → cost */
    private final Map<String, Map<String, Map<YearMonth, BigDecimal>>> byCurrency = new TreeMap<>();

    CostChart(List<MonthCost> costs) {
        TreeSet<YearMonth> seen = new TreeSet<>();
        for (MonthCost c : costs) {
            seen.add(c.month());
            byCurrency.computeIfAbsent(c.currency(), k -> new TreeMap<>())
                    .computeIfAbsent(Providers.displayName(c.provider()), k -> new TreeMap<>()).put(c.month(), c.cost());
        }
        List<YearMonth> range = new ArrayList<>();
        if (!seen.isEmpty()) {
            for (YearMonth m = seen.last().minusMonths(MONTHS - 1L); !m.isAfter(seen.last()); m = m.plusMonths(1)) {
                range.add(m);
            }
        }
        this.months = range;
    }

    boolean isEmpty() {
        return months.isEmpty();
    }

    /** The table's column heads: "Akamai USD", one per provider and currency. */
    List<String> columns() {
        List<String> out = new ArrayList<>();
        byCurrency.forEach((currency, providers) -> providers.keySet().forEach(p -> out.add(p + " " + currency)));
        return out;
    }

    /** One row per month, oldest first: the month and each column's amount as the ledger writes money ("" for none). */
    List<Map<String, Object>> rows() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (YearMonth m : months) {
            List<String> amounts = new ArrayList<>();
            byCurrency.forEach((currency, providers) -> providers.values().forEach(
                    costs -> amounts.add(costs.containsKey(m) ? Amounts.money(costs.get(m)) : "")));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("month", m.toString());
            row.put("amounts", amounts);
            out.add(row);
        }
        return out;
    }

    /** The chart as a PNG, or null when it cannot be drawn here (the summary keeps the table). */
    byte[] png() {
        if (isEmpty()) {
            return null;
        }
        try {
            if (System.getProperty("java.awt.headless") == null) {
                System.setProperty("java.awt.headless", "true");
            }
            CombinedDomainCategoryPlot plot = new CombinedDomainCategoryPlot(new CategoryAxis("Billing month"));
            plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
            // one colour per provider in every panel, and one legend entry each
            Map<String, Color> colours = new TreeMap<>();
            byCurrency.values().forEach(providers -> providers.keySet().forEach(
                    p -> colours.computeIfAbsent(p, k -> PALETTE[colours.size() % PALETTE.length])));
            LegendItemCollection legend = new LegendItemCollection();
            colours.forEach((provider, colour) -> legend.add(new LegendItem(provider, colour)));
            plot.setFixedLegendItems(legend);
            byCurrency.forEach((currency, providers) -> {
                DefaultCategoryDataset data = new DefaultCategoryDataset();
                BarRenderer bars = new BarRenderer();
                providers.forEach((provider, costs) -> {
                    bars.setSeriesPaint(data.getRowCount(), colours.get(provider));
                    for (YearMonth m : months) {
                        data.addValue(costs.get(m), provider, m.toString());
                    }
                });
                bars.setBarPainter(new StandardBarPainter());
                bars.setShadowVisible(false);
                CategoryPlot panel = new CategoryPlot(data, null, new NumberAxis("Billed " + currency), bars);
                panel.setBackgroundPaint(Color.WHITE);
                panel.setRangeGridlinePaint(Color.LIGHT_GRAY);
                plot.add(panel, 1);
            });
            JFreeChart chart = new JFreeChart("Billed cost per month", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
            chart.setBackgroundPaint(Color.WHITE);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ChartUtils.writeChartAsPNG(out, chart, WIDTH, 120 + PANEL_HEIGHT * byCurrency.size());
            return out.toByteArray();
        } catch (IOException | RuntimeException | LinkageError e) {
            // no fonts or no AWT on this host: the figures stay in the table
            LOG.warn("summary: the billed-cost chart could not be drawn ({}); the mail shows the table", e.toString());
            return null;
        }
    }
}
