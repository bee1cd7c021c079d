using System.Text.Json;
using Atlas.Bot.Posts;

namespace Atlas.Bot.Storage;

/// <summary>A post's inline keyboard as its column holds it: a JSON array of rows of buttons.</summary>
internal static class KeyboardJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string? Serialize(IReadOnlyList<IReadOnlyList<InlineButton>>? keyboard) =>
        keyboard is { Count: > 0 } ? JsonSerializer.Serialize(keyboard, Options) : null;

    public static IReadOnlyList<IReadOnlyList<InlineButton>>? Parse(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<List<List<InlineButton>>>(json, Options);
}
