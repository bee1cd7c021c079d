using System.Text.Json.Nodes;

namespace Atlas.Bot.Tests.Telegram.Fake;

/// <summary>A handled call: either a result for {"ok":true,"result":...} or a Bot API error.</summary>
internal readonly record struct Outcome(JsonNode? Result, FakeReply.ApiError? Error)
{
    public static implicit operator Outcome(FakeReply.ApiError error) => new(null, error);

    public static Outcome Ok(JsonNode? result) => new(result, null);
}
