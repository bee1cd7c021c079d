namespace Atlas.Bot.Load;

/// <summary>What an opens run measured. Latencies in milliseconds, one per answered request.</summary>
/// <param name="Expected">The opens that must be counted: every reader's, and at most 30 of a flooding address's.</param>
internal sealed record LoadReport(
    int Requested,
    int Redirected,
    int Failed,
    long Expected,
    long Counted,
    TimeSpan Sending,
    TimeSpan Flushing,
    double[] Latencies,
    double[] LatenciesFromSchedule)
{
    /// <summary>Requests from the one flooding address (--flood), and from readers of their own addresses.</summary>
    public (int Flood, int Readers) Senders { get; init; }

    /// <summary>The readers' latencies alone, when a flood ran beside them.</summary>
    public double[] ReaderLatencies { get; init; } = [];

    /// <summary>The database file and its write-ahead log, in bytes, and the rows of open_counts, once flushed.</summary>
    public (long File, long Wal, long OpenCountRows) Database { get; init; }

    /// <summary>Expected but not in the database once the buffer has flushed: must be 0 (below 0: more counted than may be).</summary>
    public long Lost => Expected - Counted;

    public void WriteTo(TextWriter output, LoadOptions options)
    {
        void Line(FormattableString line) => output.WriteLine(FormattableString.Invariant(line));
        var sorted = Latencies.Order().ToArray();
        var scheduled = LatenciesFromSchedule.Order().ToArray();
        var readers = ReaderLatencies.Order().ToArray();
        Line($"scenario           opens: GET /r/{{code}} through a trusted proxy (X-Forwarded-For), {Describe(options)}, open-loop for {options.Seconds} s, loopback");
        Line($"requested          {Requested} ({Senders.Flood} from the flooding address, {Senders.Readers} from readers of their own addresses)");
        Line($"answered 302       {Redirected}");
        Line($"failed             {Failed}");
        Line($"counted in db      {Counted} (expected {Expected}: every reader{(Senders.Flood > 0 ? " and at most 30 of the flood" : "")})");
        Line($"lost               {Lost}{(Lost < 0 ? " (more counted than may be)" : "")}");
        Line($"achieved rate      {Requested / Sending.TotalSeconds:F0}/s (sent in {Sending.TotalSeconds:F2} s)");
        Line($"latency ms         p50 {Percentile(sorted, 50):F2}  p95 {Percentile(sorted, 95):F2}  p99 {Percentile(sorted, 99):F2}  max {Max(sorted):F2}");
        if (Senders.Flood > 0 && readers.Length > 0)
        {
            Line($"  readers alone    p50 {Percentile(readers, 50):F2}  p95 {Percentile(readers, 95):F2}  p99 {Percentile(readers, 99):F2}  max {Max(readers):F2}");
        }

        Line($"  from schedule    p50 {Percentile(scheduled, 50):F2}  p95 {Percentile(scheduled, 95):F2}  p99 {Percentile(scheduled, 99):F2}  max {Max(scheduled):F2}  (includes the harness's own lateness)");
        Line($"flushed            {Flushing.TotalMilliseconds:F0} ms after the last answer");
        Line($"database           {(Database.File + Database.Wal) / 1024.0:F0} KiB (file {Database.File / 1024.0:F0} KiB, WAL {Database.Wal / 1024.0:F0} KiB); open_counts {Database.OpenCountRows} rows");
        Line($"reproduce          {options.Command}");
    }

    private static string Describe(LoadOptions options) => options.Flood
        ? $"{options.Rate}/s from one address with a random User-Agent each{(options.Readers > 0 ? $" and {options.Readers}/s from readers of their own addresses" : "")}"
        : $"{options.Rate + options.Readers}/s, each from a reader of its own address";

    /// <summary>Nearest-rank percentile.</summary>
    private static double Percentile(double[] sorted, int percent) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(percent / 100.0 * sorted.Length) - 1)];

    private static double Max(double[] sorted) => sorted.Length == 0 ? double.NaN : sorted[^1];
}
