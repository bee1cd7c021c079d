namespace Atlas.Bot.Commands;

/// <summary>A command as typed: "/lang", "/poll az", "/subscribe@atlas_bot".</summary>
/// <param name="Name">Lower case, without "/" and without the bot's name.</param>
/// <param name="Arguments">Everything after the command, trimmed; "" when nothing.</param>
/// <param name="ArgumentsOffset">Where <paramref name="Arguments"/> starts in the message text (for its formatting entities).</param>
/// <param name="Addressed">True when the command named the bot explicitly ("/help@atlas_bot").</param>
public sealed record CommandLine(string Name, string Arguments, int ArgumentsOffset, bool Addressed)
{
    /// <summary>The command in <paramref name="text"/>; null when it is not one, or is addressed to another bot.</summary>
    public static CommandLine? Parse(string? text, string? botUsername)
    {
        if (text is not ['/', ..])
        {
            return null;
        }

        var end = 1;
        while (end < text.Length && !char.IsWhiteSpace(text[end]))
        {
            end++;
        }

        var word = text[1..end];
        var at = word.IndexOf('@', StringComparison.Ordinal);
        var addressed = at >= 0;
        if (addressed && (botUsername is null || !string.Equals(word[(at + 1)..], botUsername, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var name = (addressed ? word[..at] : word).ToLowerInvariant();
        if (name.Length == 0)
        {
            return null;
        }

        var start = end;
        while (start < text.Length && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        return new CommandLine(name, text[start..].TrimEnd(), start, addressed);
    }
}
