namespace Atlas.Bot.Commands;

/// <summary>
/// What the commands need from the side that receives updates (polling or webhook): the signal it gives when
/// it stored new updates in the inbox, and the bot's @username (without "@") to recognise "/cmd@bot".
/// </summary>
public sealed record ReceivingSide(Signal Inbox, Func<CancellationToken, ValueTask<string?>> BotUsername);
