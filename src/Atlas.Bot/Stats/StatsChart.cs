using System.Globalization;
using Atlas.Bot.Storage;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Atlas.Bot.Stats;

/// <summary>The words on the chart, in the admin's language.</summary>
public sealed record ChartLabels(string Title, string Deliveries, string Opens, string Language);

/// <summary>The /stats chart: daily deliveries and opens as paired bars, one pair a day, as a PNG.</summary>
public static class StatsChart
{
    public const int Width = 1000;
    public const int Height = 500;

    private static readonly Color DeliveriesColor = Color.FromHex("#1f77b4");
    private static readonly Color OpensColor = Color.FromHex("#ff7f0e");

    /// <summary>Renders <paramref name="days"/> (oldest first, "yyyy-MM-dd" keys) as a 1000×500 PNG.</summary>
    public static byte[] Render(IReadOnlyList<DailySummary> days, ChartLabels labels)
    {
        ChartFont.EnsureRegistered();
        using var plot = new Plot();
        plot.Font.Set(ChartFont.Family);
        plot.Title(labels.Title);

        var deliveries = Series(days, day => day.Deliveries, offset: -0.2, DeliveriesColor);
        var opens = Series(days, day => day.Opens, offset: 0.2, OpensColor);
        plot.Add.Bars(deliveries).LegendText = labels.Deliveries;
        plot.Add.Bars(opens).LegendText = labels.Opens;
        plot.Legend.FontName = ChartFont.Family;
        plot.ShowLegend(Alignment.UpperLeft);

        // Every other day, counted back from the last, so today always has its date and 30 labels do not collide.
        var labelled = Enumerable.Range(0, days.Count).Where(index => (days.Count - 1 - index) % 2 == 0).ToList();
        plot.Axes.Bottom.SetTicks([.. labelled.Select(index => (double)index)], [.. labelled.Select(index => DayLabel(days[index].Day))]);
        plot.Axes.Left.TickGenerator = new NumericAutomatic
        {
            IntegerTicksOnly = true,
            LabelFormatter = value => StatsFormat.Number((long)Math.Round(value), labels.Language),
        };
        // Counts start at zero; a little headroom above the highest bar keeps the legend clear of it.
        plot.Axes.Margins(bottom: 0, top: 0.25);
        plot.Axes.SetLimitsX(-0.7, Math.Max(days.Count, 1) - 0.3);

        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    private static List<Bar> Series(IReadOnlyList<DailySummary> days, Func<DailySummary, long> value, double offset, Color color) =>
        [.. days.Select((day, index) => new Bar
        {
            Position = index + offset,
            Value = value(day),
            Size = 0.4,
            FillColor = color,
            LineWidth = 0,
        })];

    private static string DayLabel(string key) =>
        DateOnly.TryParseExact(key, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date.ToString("dd.MM", CultureInfo.InvariantCulture)
            : key;
}
