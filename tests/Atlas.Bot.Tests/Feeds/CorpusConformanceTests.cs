using System.Globalization;
using System.Text;
using Atlas.Bot.Feeds;
using Atlas.Bot.Tests.Feeds.Corpus;
using Xunit;
using Xunit.Abstractions;

namespace Atlas.Bot.Tests.Feeds;

/// <summary>
/// Holds the feed reading path (FeedDecoder, then FeedParser, exactly as the service calls them) against
/// the test suites of gofeed, feedparser and FeedReader. Prints the pass rate per field and every failure;
/// see <see cref="ConformanceCheck"/> for the normalisation applied before comparing.
/// </summary>
public sealed class CorpusConformanceTests(ITestOutputHelper output)
{
    private const double FeedThreshold = 0.90;
    private const double DateThreshold = 0.80;

    [Fact]
    public void The_reading_path_agrees_with_peer_parsers_on_at_least_90_percent_of_their_checks()
    {
        if (FeedCorpus.Locate() is not { } corpus)
        {
            Print("feed corpus absent (looked for shared/feed-corpus beside the repository): conformance not checked");
            return;
        }

        var outcomes = new List<(string File, ConformanceCheck.Outcome Outcome)>();
        foreach (var testCase in corpus.Cases())
        {
            var result = corpus.Parse(testCase);
            outcomes.AddRange(testCase.Expected
                .Where(e => ConformanceCheck.IsChecked(e.Key))
                .Select(e => (testCase.File, ConformanceCheck.Check(e.Key, e.Value, result))));
        }

        var rate = Report("feed checks", outcomes.Select(o => (o.Outcome.Key, o.Outcome.Passed)));
        foreach (var (file, failure) in outcomes.Where(o => !o.Outcome.Passed))
        {
            Print($"FAIL {file} [{failure.Key}]\n     expected: {Clip(failure.Expected)}\n     actual:   {Clip(failure.Actual)}");
        }
        foreach (var (file, lenient) in outcomes.Where(o => o.Outcome.Lenient))
        {
            Print($"PASS (text only) {file} [{lenient.Key}]\n     expected: {Clip(lenient.Expected)}\n     actual:   {Clip(lenient.Actual)}");
        }
        Assert.True(rate >= FeedThreshold, $"feed conformance {rate:P1} is under {FeedThreshold:P0}");
    }

    [Fact]
    public void The_date_reader_agrees_with_peer_date_parsers_on_at_least_80_percent_of_their_strings()
    {
        if (FeedCorpus.Locate() is not { } corpus)
        {
            Print("feed corpus absent: date conformance not checked");
            return;
        }

        var outcomes = corpus.Dates()
            // The peers read a date without a zone as UTC; the service passes Asia/Baku instead.
            .Select(d => (Case: d, Actual: FeedDates.Parse(d.Input, TimeZoneInfo.Utc)))
            .Select(d => (d.Case, d.Actual, Passed: d.Actual == d.Case.ExpectedUtc))
            .ToList();

        var rate = Report("dates", outcomes.Select(o => ("date", o.Passed)));
        foreach (var (testCase, actual, _) in outcomes.Where(o => !o.Passed))
        {
            Print($"FAIL date \"{testCase.Input}\" ({testCase.Note}): expected {Format(testCase.ExpectedUtc)}, got {Format(actual)}");
        }
        Assert.True(rate >= DateThreshold, $"date conformance {rate:P1} is under {DateThreshold:P0}");
    }

    private double Report(string title, IEnumerable<(string Key, bool Passed)> checks)
    {
        var list = checks.ToList();
        var summary = new StringBuilder();
        foreach (var group in list.GroupBy(c => c.Key).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            summary.AppendLine(CultureInfo.InvariantCulture, $"  {group.Key,-26} {group.Count(c => c.Passed),4}/{group.Count(),-4} {Rate(group.Count(c => c.Passed), group.Count()):P1}");
        }
        var passed = list.Count(c => c.Passed);
        var rate = Rate(passed, list.Count);
        Print($"{title}: {passed}/{list.Count} = {rate:P1}\n{summary}");
        return rate;
    }

    private static double Rate(int passed, int total) => total == 0 ? 1 : (double)passed / total;

    private static string Format(DateTimeOffset? instant) =>
        instant?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "null";

    private static string Clip(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private void Print(string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line);
    }
}
