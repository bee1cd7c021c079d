using System.Text.Json;

namespace Atlas.Bot.Tests.Telegram.Fake;

/// <summary>One Bot API call as the fake received it, handed to the fault hook.</summary>
/// <param name="Method">The method name in lower case, e.g. "sendmessage".</param>
/// <param name="Sequence">1 for the first call the fake received, 2 for the second, and so on.</param>
public sealed record FakeRequest(string Method, JsonElement Body, int Sequence)
{
    public string? Field(string name) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;

    public long? Number(string name) =>
        long.TryParse(Field(name), System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : null;
}
