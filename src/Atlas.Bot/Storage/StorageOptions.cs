using System.ComponentModel.DataAnnotations;

namespace Atlas.Bot.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Only SQLite is implemented; PostgreSQL arrives with multi-replica deployments.</summary>
    [Required]
    [RegularExpression("^(?i:sqlite)$", ErrorMessage = "Storage:Provider must be Sqlite (PostgreSQL is not supported yet).")]
    public string Provider { get; set; } = "Sqlite";

    /// <summary>PostgreSQL, shared by replicas, rather than the embedded SQLite file.</summary>
    public bool IsPostgres => string.Equals(Provider, "Postgres", StringComparison.OrdinalIgnoreCase);

    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/atlas-bot.db";

    /// <summary>
    /// Finished deliveries, replies and announcements, and audit lines older than this are deleted (daily figures and
    /// the items themselves are kept forever). At least a week: editing a post needs its message id for days after it
    /// went out, and a delivery still waiting is never deleted whatever its age.
    /// </summary>
    [Range(7, 36_500, ErrorMessage = "must be between 7 and 36500 days: at least a week, since posts are edited and crashes recovered from recent rows.")]
    public int KeepDays { get; set; } = 180;
}
