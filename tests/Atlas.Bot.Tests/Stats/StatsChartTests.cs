using System.Buffers.Binary;
using System.Globalization;
using Atlas.Bot.Stats;
using Atlas.Bot.Storage;
using SkiaSharp;

namespace Atlas.Bot.Tests.Stats;

public sealed class StatsChartTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void The_chart_is_a_real_png_of_1000_by_500()
    {
        var png = StatsChart.Render(Days(30), Labels("en"));

        Assert.Equal(PngSignature, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(1000, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(500, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal((1000, 500), (bitmap.Width, bitmap.Height));
    }

    [Theory]
    [InlineData("az")]
    [InlineData("en")]
    [InlineData("ru")]
    public void Both_series_are_drawn_in_the_plot_area_and_the_title_is_written(string language)
    {
        using var bitmap = SKBitmap.Decode(StatsChart.Render(Days(30), Labels(language)));

        // Bars: the two series' colours, below the title and above the date labels.
        Assert.True(Count(bitmap, 60, 950, 60, 400, IsBlue) > 1000, "no deliveries bars");
        Assert.True(Count(bitmap, 60, 950, 60, 400, IsOrange) > 1000, "no opens bars");
        // Text: without a usable font SkiaSharp draws none, and the strip above the plot stays blank.
        Assert.True(Count(bitmap, 0, 1000, 0, 40, IsDark) > 200, "no title: the embedded font was not used");
        // The date labels under the plot.
        Assert.True(Count(bitmap, 0, 1000, 420, 500, IsDark) > 200, "no date labels");
    }

    [Fact]
    public void Days_without_any_activity_still_make_a_chart()
    {
        var quiet = Days(30).Select(day => day with { Deliveries = 0, Opens = 0 }).ToList();

        using var bitmap = SKBitmap.Decode(StatsChart.Render(quiet, Labels("az")));

        Assert.Equal(1000, bitmap.Width);
    }

    [Fact]
    public void Each_bar_is_as_tall_as_its_count_and_a_day_without_any_has_no_bar()
    {
        // Day 2 has nothing at all; day 3 deliveries but no opens.
        long[] deliveries = [100, 300, 0, 250, 400, 50, 200];
        long[] opens = [60, 150, 0, 0, 25, 400, 120];
        var days = deliveries.Select((count, index) => new DailySummary(
            new DateOnly(2026, 11, 1).AddDays(index).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), count, opens[index], 10, 0, 0)).ToList();

        using var bitmap = SKBitmap.Decode(StatsChart.Render(days, Labels("en")));

        AssertBars(deliveries, Bars(bitmap, IsBlue));
        AssertBars(opens, Bars(bitmap, IsOrange));
    }

    internal static IReadOnlyList<DailySummary> Days(int count) =>
        [.. Enumerable.Range(0, count).Select(index => new DailySummary(
            new DateOnly(2026, 10, 30).AddDays(index).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Deliveries: 1_000 + index * 40,
            Opens: 200 + index * 25,
            SubscribersActive: 10,
            SubscribersJoined: 1,
            SubscribersLeft: 0))];

    private static ChartLabels Labels(string language) => language switch
    {
        "az" => new ChartLabels("Göndərişlər və açılışlar, son 30 gün", "Göndərişlər", "Açılışlar", language),
        "ru" => new ChartLabels("Доставки и переходы за 30 дней", "Доставки", "Переходы", language),
        _ => new ChartLabels("Deliveries and opens, last 30 days", "Deliveries", "Opens", language),
    };

    /// <summary>
    /// The bars of one colour, left to right: runs of pixel columns whose colour rises from the common baseline
    /// (the lowest row of that colour), each with its centre and its height in pixels. The legend's swatch of the
    /// same colour does not touch the baseline, so it is not a bar.
    /// </summary>
    private static List<(double Centre, int Height)> Bars(SKBitmap bitmap, Func<SKColor, bool> match)
    {
        var baseline = Enumerable.Range(0, bitmap.Height).Last(y => Enumerable.Range(0, bitmap.Width).Any(x => match(bitmap.GetPixel(x, y))));
        var bars = new List<(double, int)>();
        var run = new List<(int X, int Height)>();
        for (var x = 0; x <= bitmap.Width; x++)
        {
            var height = 0;
            while (x < bitmap.Width && baseline - height >= 0 && match(bitmap.GetPixel(x, baseline - height)))
            {
                height++;
            }

            if (height > 0)
            {
                run.Add((x, height));
            }
            else if (run.Count > 0)
            {
                bars.Add((run.Average(column => column.X), run.Max(column => column.Height)));
                run.Clear();
            }
        }

        return bars;
    }

    /// <summary>One bar per day with a count, at that day's place, its height proportional to the count.</summary>
    private static void AssertBars(long[] counts, List<(double Centre, int Height)> bars)
    {
        var days = Enumerable.Range(0, counts.Length).Where(day => counts[day] > 0).ToList();
        Assert.Equal(days.Count, bars.Count);

        // Days are evenly spaced; the first and the last day have bars, so their distance gives the spacing.
        var spacing = (bars[^1].Centre - bars[0].Centre) / (days[^1] - days[0]);
        Assert.Equal(days, bars.Select(bar => days[0] + (int)Math.Round((bar.Centre - bars[0].Centre) / spacing)));

        var pixelsPerCount = bars.Zip(days).Max(pair => pair.First.Height / (double)counts[pair.Second]);
        Assert.All(bars.Zip(days), pair => Assert.InRange(pair.First.Height, (counts[pair.Second] * pixelsPerCount) - 2, (counts[pair.Second] * pixelsPerCount) + 2));
    }

    private static int Count(SKBitmap bitmap, int left, int right, int top, int bottom, Func<SKColor, bool> match)
    {
        var count = 0;
        for (var y = top; y < bottom; y++)
        {
            for (var x = left; x < right; x++)
            {
                count += match(bitmap.GetPixel(x, y)) ? 1 : 0;
            }
        }

        return count;
    }

    private static bool IsBlue(SKColor color) => color is { Red: < 60, Green: > 90 and < 150, Blue: > 150 };

    private static bool IsOrange(SKColor color) => color is { Red: > 220, Green: > 100 and < 160, Blue: < 50 };

    private static bool IsDark(SKColor color) => color is { Red: < 100, Green: < 100, Blue: < 100 };
}
