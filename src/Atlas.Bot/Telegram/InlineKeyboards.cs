using Atlas.Bot.Posts;
using Telegram.Bot.Types.ReplyMarkups;

namespace Atlas.Bot.Telegram;

/// <summary>Rows of <see cref="InlineButton"/> as Telegram.Bot's markup: one translation for queued sends and for keyboard edits.</summary>
public static class InlineKeyboards
{
    /// <summary>The markup, or null when there are no rows (an edit with null takes the buttons away).</summary>
    public static InlineKeyboardMarkup? Markup(IReadOnlyList<IReadOnlyList<InlineButton>>? rows) =>
        rows is { Count: > 0 } ? new InlineKeyboardMarkup(rows.Select(row => row.Select(Button))) : null;

    private static InlineKeyboardButton Button(InlineButton button) =>
        button.Url is not null
            ? InlineKeyboardButton.WithUrl(button.Text, button.Url)
            : InlineKeyboardButton.WithCallbackData(button.Text, button.CallbackData ?? button.Text);
}
