using System.ComponentModel.DataAnnotations;

namespace Atlas.Bot.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Only SQLite is implemented; PostgreSQL arrives with multi-replica deployments.</summary>
    [Required]
    [RegularExpression("^(?i:sqlite)$", ErrorMessage = "Storage:Provider must be Sqlite (PostgreSQL is not supported yet).")]
    public string Provider { get; set; } = "Sqlite";

    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/atlas-bot.db";
}
