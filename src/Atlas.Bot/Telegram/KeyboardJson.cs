using System.Text.Json;

namespace Atlas.Bot.Telegram;

/// <summary>Inline keyboards as stored with a queued message: a JSON array of rows of buttons.</summary>
public static class KeyboardJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string? Serialize(IReadOnlyList<IReadOnlyList<InlineButton>>? keyboard) =>
        keyboard is { Count: > 0 } ? JsonSerializer.Serialize(keyboard, Options) : null;

    public static IReadOnlyList<IReadOnlyList<InlineButton>>? Parse(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<List<List<InlineButton>>>(json, Options);
}
