using Quartz;

namespace Atlas.Bot.Storage;

/// <summary>
/// The tables of Quartz's job store on PostgreSQL, where replicas share one schedule. Quartz ships the script with
/// each release (create only what is missing, safe to run again); our migrations run it so that the schema is in
/// place before any scheduler starts, and the scheduler only validates it.
/// </summary>
public static class QuartzSchema
{
    /// <summary>The prefix of Quartz's tables, beside ours in the same database.</summary>
    public const string TablePrefix = "qrtz_";

    /// <summary>The connection string Quartz's job store uses: the store's own, password included.</summary>
    public static string ConnectionString(StorageOptions options) => PostgresDialect.Connection(options).ConnectionString;

    private const string PostgresScript = "Quartz.Impl.AdoJobStore.Schema.create_postgres.sql";

    /// <summary>Quartz's own PostgreSQL script, its prefix placeholders filled in (its separators are comment lines).</summary>
    public static string Postgres()
    {
        using var script = typeof(IScheduler).Assembly.GetManifestResourceStream(PostgresScript)
            ?? throw new InvalidOperationException($"Quartz no longer ships {PostgresScript}: check its release notes for the schema script.");
        using var reader = new StreamReader(script);
        // {0}: the prefix as written (it may name a schema); {1}: the same without a schema, for index and constraint names.
        return reader.ReadToEnd().Replace("{0}", TablePrefix, StringComparison.Ordinal).Replace("{1}", TablePrefix, StringComparison.Ordinal);
    }
}
