namespace Atlas.Bot.Load;

/// <summary>What a run measured. Latencies in milliseconds, one per answered request.</summary>
internal sealed record LoadReport(
    int Requested,
    int Redirected,
    int Failed,
    long Counted,
    TimeSpan Sending,
    TimeSpan Flushing,
    double[] Latencies,
    double[] LatenciesFromSchedule)
{
    /// <summary>Redirected but not in the database once the buffer has flushed: must be 0.</summary>
    public long Lost => Redirected - Counted;

    public void WriteTo(TextWriter output, LoadOptions options)
    {
        void Line(FormattableString line) => output.WriteLine(FormattableString.Invariant(line));
        var sorted = Latencies.Order().ToArray();
        var scheduled = LatenciesFromSchedule.Order().ToArray();
        Line($"scenario           opens: GET /r/{{code}}, distinct User-Agent per request, open-loop at {options.Rate}/s for {options.Seconds} s, loopback");
        Line($"requested          {Requested}");
        Line($"answered 302       {Redirected}");
        Line($"failed             {Failed}");
        Line($"counted in db      {Counted}");
        Line($"lost               {Lost}");
        Line($"achieved rate      {Requested / Sending.TotalSeconds:F0}/s (sent in {Sending.TotalSeconds:F2} s)");
        Line($"latency ms         p50 {Percentile(sorted, 50):F2}  p95 {Percentile(sorted, 95):F2}  p99 {Percentile(sorted, 99):F2}  max {Max(sorted):F2}");
        Line($"  from schedule    p50 {Percentile(scheduled, 50):F2}  p95 {Percentile(scheduled, 95):F2}  p99 {Percentile(scheduled, 99):F2}  max {Max(scheduled):F2}  (includes the harness's own lateness)");
        Line($"flushed            {Flushing.TotalMilliseconds:F0} ms after the last answer");
        Line($"reproduce          {options.Command}");
    }

    /// <summary>Nearest-rank percentile.</summary>
    private static double Percentile(double[] sorted, int percent) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(percent / 100.0 * sorted.Length) - 1)];

    private static double Max(double[] sorted) => sorted.Length == 0 ? double.NaN : sorted[^1];
}
