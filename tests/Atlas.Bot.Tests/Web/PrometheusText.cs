using System.Globalization;
using System.Text.RegularExpressions;

namespace Atlas.Bot.Tests.Web;

/// <summary>One sample of the text exposition format: <c>name{label="value",…} value</c>.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public bool Has(params (string Label, string Value)[] labels) =>
        labels.All(label => Labels.TryGetValue(label.Label, out var value) && value == label.Value);
}

/// <summary>A small reader of what /metrics serves: comments skipped, every other line one sample.</summary>
public static partial class PrometheusText
{
    public static IReadOnlyList<PrometheusSample> Parse(string body)
    {
        var samples = new List<PrometheusSample>();
        foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var sample = SampleLine().Match(line);
            Assert.True(sample.Success, $"not a sample line: {line}");
            var labels = LabelPair().Matches(sample.Groups["labels"].Value)
                .ToDictionary(pair => pair.Groups["name"].Value, pair => Unescape(pair.Groups["value"].Value), StringComparer.Ordinal);
            samples.Add(new PrometheusSample(sample.Groups["name"].Value, labels, ParseValue(sample.Groups["value"].Value)));
        }

        return samples;
    }

    private static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static string Unescape(string value) =>
        value.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);

    // An optional timestamp may follow the value.
    [GeneratedRegex("""^(?<name>[^\s{]+)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+-?\d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(""""(?<name>[^\s=,{}]+)="(?<value>(?:[^"\\]|\\.)*)"""")]
    private static partial Regex LabelPair();
}
