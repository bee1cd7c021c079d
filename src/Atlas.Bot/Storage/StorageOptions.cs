using System.ComponentModel.DataAnnotations;

namespace Atlas.Bot.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Sqlite (the embedded default: one process, one file) or Postgres (one database several replicas share).</summary>
    [Required]
    [RegularExpression("^(?i:sqlite|postgres)$", ErrorMessage = "Storage:Provider must be Sqlite or Postgres.")]
    public string Provider { get; set; } = "Sqlite";

    /// <summary>SQLite's (<c>Data Source=…</c>) or Npgsql's (<c>Host=…;Port=…;Username=…;Database=…</c>) form.</summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/atlas-bot.db";

    /// <summary>
    /// PostgreSQL's password when the connection string leaves it out: from <c>Storage__Password</c>, or a
    /// <c>/run/secrets/Storage__Password</c> file like the bot token. Wins over a password in the connection string.
    /// </summary>
    public string? Password { get; set; }

    /// <summary>
    /// Finished deliveries, replies and announcements, and audit lines older than this are deleted (daily figures and
    /// the items themselves are kept forever). At least a week: editing a post needs its message id for days after it
    /// went out, and a delivery still waiting is never deleted whatever its age.
    /// </summary>
    [Range(7, 36_500, ErrorMessage = "must be between 7 and 36500 days: at least a week, since posts are edited and crashes recovered from recent rows.")]
    public int KeepDays { get; set; } = 180;

    public static bool IsPostgres(string? provider) => string.Equals(provider, "Postgres", StringComparison.OrdinalIgnoreCase);
}
