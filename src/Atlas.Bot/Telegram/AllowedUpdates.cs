using Telegram.Bot.Types.Enums;

namespace Atlas.Bot.Telegram;

/// <summary>The update types the bot asks Telegram for, by getUpdates and by setWebhook alike.</summary>
public static class AllowedUpdates
{
    /// <summary>
    /// Commands and text, edits (to ignore them politely), channel posts, button presses, and the bot's own membership
    /// changes (added to a channel, blocked by a user). Nothing else is asked for, so nothing else is stored.
    /// </summary>
    public static IReadOnlyList<UpdateType> Types { get; } =
    [
        UpdateType.Message,
        UpdateType.EditedMessage,
        UpdateType.ChannelPost,
        UpdateType.CallbackQuery,
        UpdateType.MyChatMember,
    ];
}
