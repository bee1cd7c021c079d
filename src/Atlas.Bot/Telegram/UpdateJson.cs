using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Atlas.Bot.Storage;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Atlas.Bot.Telegram;

/// <summary>
/// An update as JSON, in Telegram.Bot's own serializer settings both ways, so what the inbox keeps reads back
/// exactly as the client would have parsed it.
/// </summary>
public static class UpdateJson
{
    /// <summary>The inbox row for an update: its id and its JSON.</summary>
    public static InboxUpdate ToInbox(Update update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return new InboxUpdate(update.Id, JsonSerializer.Serialize(update, JsonBotAPI.Options));
    }

    /// <summary>Reads a stored payload back; false with the reason when it is not an update.</summary>
    public static bool TryParse(string json, [NotNullWhen(true)] out Update? update, out string reason)
    {
        ArgumentNullException.ThrowIfNull(json);
        return TryParse(Encoding.UTF8.GetBytes(json), out update, out reason);
    }

    /// <summary>Reads an update from UTF-8 JSON (a webhook body); false with the reason when it is not one.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out Update? update, out string reason)
    {
        try
        {
            update = JsonSerializer.Deserialize<Update>(utf8Json, JsonBotAPI.Options);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or FormatException or InvalidOperationException or ArgumentException)
        {
            // Telegram.Bot's converters throw more than JsonException for odd input; all of it is just "not an update".
            update = null;
            reason = exception.Message;
            return false;
        }

        if (update is not { Id: > 0 })
        {
            update = null;
            reason = "no update_id";
            return false;
        }

        reason = "";
        return true;
    }
}
