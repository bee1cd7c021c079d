using Telegram.Bot.Extensions;

namespace Atlas.Bot.Delivery;

/// <summary>
/// What the admins read, in Telegram HTML. English only: alerts are for the people who run the bot, not for
/// subscribers, and Delivery does not reach into Commands' localized texts. Every value from outside is escaped.
/// </summary>
internal static class AlertTexts
{
    public static string FeedDown(string feedId, int failures, string? reason) =>
        $"⚠️ Feed <b>{HtmlText.Escape(feedId)}</b> failed {failures} polls in a row: {HtmlText.Escape(reason ?? "no reason given")}.\n"
        + "New analyses from it are not posted until it works again. You will get one more message when it does.";

    public static string FeedRecovered(string feedId) =>
        $"✅ Feed <b>{HtmlText.Escape(feedId)}</b> works again: its new analyses are being posted.";

    public static string ChannelBlocked(string chat, string reason) =>
        $"⚠️ The bot can no longer post to <b>{HtmlText.Escape(chat)}</b>: {HtmlText.Escape(reason)}.\n"
        + "Its posts are kept back. Make the bot an admin of the channel with the right to post, then restart the bot.";

    public static string ChannelRecovered(string chat) =>
        $"✅ The bot can post to <b>{HtmlText.Escape(chat)}</b> again.";

    public static string TopicStopped(string chat, int thread, string reason) =>
        $"⚠️ The bot can no longer post to topic {thread} of <b>{HtmlText.Escape(chat)}</b>: {HtmlText.Escape(reason)}.\n"
        + "Its posts are kept back; the group's other topics still get theirs. Reopen the topic (the bot resumes when it sees it "
        + "reopened), or point the channel entry at another topic and restart the bot.";

    public static string TopicRecovered(string chat, int thread) =>
        $"✅ The bot can post to topic {thread} of <b>{HtmlText.Escape(chat)}</b> again.";

    public static string RateLimited(TimeSpan since) =>
        $"⚠️ Telegram has been slowing the bot down (429 Too Many Requests) for {(int)since.TotalMinutes} minutes.\n"
        + "Posts are delayed, not lost. You will get one more message when sending is back to normal.";

    public const string RateLimitRecovered = "✅ Telegram accepts the bot's messages again: delayed posts are going out.";
}
