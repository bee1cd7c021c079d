namespace Atlas.Bot.Tests.Web;

/// <summary>
/// Tests that read /metrics run alone: OpenTelemetry listens to every meter named "Atlas.Bot" in the
/// process, so a host started by another test at the same time would add its polls and sends to the counts.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMetrics
{
    public const string Name = "Process-wide metrics";
}
