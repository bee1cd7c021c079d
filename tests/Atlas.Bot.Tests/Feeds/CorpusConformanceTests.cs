using System.Globalization;
using System.Text;
using Atlas.Bot.Feeds;
using Atlas.Bot.Tests.Cli;
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
    // The ratchet: the figures measured, and stated in README.md. A drop is a regression; a rise (or a corpus of another
    // size) means re-measuring and raising these and the README together.
    private const int FeedChecks = 389;
    private const int FeedChecksPassing = 389;
    private const int DateStrings = 91;
    private const int DateStringsPassing = 90;

    [Fact]
    public void The_reading_path_still_passes_all_389_peer_checks_the_README_claims()
    {
        var corpus = FeedCorpus.Open();

        var outcomes = new List<(string File, ConformanceCheck.Outcome Outcome)>();
        foreach (var testCase in corpus.Cases())
        {
            var result = corpus.Parse(testCase);
            outcomes.AddRange(testCase.Expected
                .Where(e => ConformanceCheck.IsChecked(e.Key))
                .Select(e => (testCase.File, ConformanceCheck.Check(e.Key, e.Value, result))));
        }

        var passed = Report("feed checks", outcomes.Select(o => (o.Outcome.Key, o.Outcome.Passed)));
        var failures = outcomes.Where(o => !o.Outcome.Passed)
            .Select(o => $"FAIL {o.File} [{o.Outcome.Key}]\n     expected: {Clip(o.Outcome.Expected)}\n     actual:   {Clip(o.Outcome.Actual)}")
            .ToList();
        failures.ForEach(Print);
        foreach (var (file, lenient) in outcomes.Where(o => o.Outcome.Lenient))
        {
            Print($"PASS (text only) {file} [{lenient.Key}]\n     expected: {Clip(lenient.Expected)}\n     actual:   {Clip(lenient.Actual)}");
        }

        AssertRatchet("feed checks", "checks pass", passed, outcomes.Count, FeedChecksPassing, FeedChecks, failures);
    }

    [Fact]
    public void The_date_reader_still_reads_90_of_the_91_peer_date_strings_the_README_claims()
    {
        var corpus = FeedCorpus.Open();

        var outcomes = corpus.Dates()
            // The peers read a date without a zone as UTC; the service passes Asia/Baku instead.
            .Select(d => (Case: d, Actual: FeedDates.Parse(d.Input, TimeZoneInfo.Utc)))
            .Select(d => (d.Case, d.Actual, Passed: d.Actual == d.Case.ExpectedUtc))
            .ToList();

        var passed = Report("dates", outcomes.Select(o => ("date", o.Passed)));
        var failures = outcomes.Where(o => !o.Passed)
            .Select(o => $"FAIL date \"{o.Case.Input}\" ({o.Case.Note}): expected {Format(o.Case.ExpectedUtc)}, got {Format(o.Actual)}")
            .ToList();
        failures.ForEach(Print);

        AssertRatchet("date strings", "date strings", passed, outcomes.Count, DateStringsPassing, DateStrings, failures);
    }

    /// <summary>
    /// Red when fewer pass than the ratchet (listing every failing case), when the corpus no longer holds the number of
    /// cases the ratchet counts, or when README.md does not state the measured figures ("389 of 389 checks pass").
    /// </summary>
    private static void AssertRatchet(string what, string readmeWords, int passed, int total, int minimumPassing, int expectedTotal, IReadOnlyList<string> failures)
    {
        Assert.True(
            total == expectedTotal,
            $"the corpus now holds {total} {what}, the ratchet counts {expectedTotal}: re-measure, then update the figures in this test and in README.md.");
        Assert.True(
            passed >= minimumPassing,
            $"{what}: {passed} of {total} pass, fewer than the {minimumPassing} that passed before. Failing:\n{string.Join("\n", failures)}");

        var claim = $"{passed} of {total} {readmeWords}";
        Assert.True(
            ReadmeText().Contains(claim, StringComparison.Ordinal),
            $"README.md must say \"{claim}\" (the measured figure); when it rises, raise the ratchet in this test with it.");
    }

    /// <summary>README.md with its line breaks folded, so a claim wrapped across lines still reads as one sentence.</summary>
    private static string ReadmeText() =>
        string.Join(' ', File.ReadAllText(Path.Combine(AtlasBotProcess.RepositoryRoot, "README.md")).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Prints the pass rate per key; returns how many passed.</summary>
    private int Report(string title, IEnumerable<(string Key, bool Passed)> checks)
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
        return passed;
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
