using System.Text.Json;

namespace Atlas.Bot.Tests.Telegram.Fake;

/// <summary>One Bot API call as the fake received it, handed to the fault hook.</summary>
/// <param name="Method">The method name in lower case, e.g. "sendmessage".</param>
/// <param name="Sequence">1 for the first call the fake received, 2 for the second, and so on.</param>
public sealed record FakeRequest(string Method, JsonElement Body, int Sequence)
{
    public static readonly IReadOnlyDictionary<string, FakeUpload> NoUploads = new Dictionary<string, FakeUpload>();

    /// <summary>The files of a multipart request by form field name ("photo"); empty for a JSON request.</summary>
    public IReadOnlyDictionary<string, FakeUpload> Uploads { get; init; } = NoUploads;

    /// <summary>When the request reached the fake, before its body was read: the moment flood limits count.</summary>
    public DateTimeOffset ArrivedAt { get; init; }

    public string? Field(string name) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;

    public long? Number(string name) =>
        long.TryParse(Field(name), System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : null;
}

/// <summary>A file uploaded in a multipart request, as received.</summary>
public sealed record FakeUpload(string FileName, string? ContentType, byte[] Bytes);
