using System.Globalization;
using System.Text;
using Atlas.Bot.Delivery;
using Atlas.Bot.Storage;
using Telegram.Bot.Extensions;
using Telegram.Bot.Types;

namespace Atlas.Bot.Commands;

/// <summary>
/// /unpost &lt;link or code&gt;: takes an analysis down. Nothing of it still waiting is sent (posts and corrections), and
/// its posts in the channels and subscribed groups are deleted; Telegram refuses for a message older than 48 hours, and
/// the answer says where and why. Copies in private chats and digests stay. The item stays known, so a later poll does
/// not post it again. Handling the same update twice deletes nothing twice: a deleted post is recorded as such.
/// </summary>
public sealed partial class UnpostCommand(Store store, Outbox outbox, TelegramCalls telegram, ILogger<UnpostCommand> log)
{
    private const int MaxTitle = 120;

    /// <summary>Enough for the audit line's figures and a few chats.</summary>
    private const int AuditLength = 500;

    public async Task HandleAsync(Message message, string argument, CommandContext context, CancellationToken ct)
    {
        var chat = message.Chat.Id;
        var wanted = argument.Trim();
        if (wanted.Length == 0)
        {
            await context.ReplyAsync(chat, context.Text(TextNames.UnpostUsage), ct);
            return;
        }

        if (await store.FindTrackedItemByCodeOrLinkAsync(ItemArgument.CodeOf(wanted), ct) is not { } item)
        {
            await context.ReplyAsync(chat, context.Text(TextNames.UnpostUnknown, HtmlText.Escape(Shorten(wanted))), ct);
            return;
        }

        // Cancelled first, so that no post or correction goes out while the sent ones are being deleted.
        var cancelled = await outbox.CancelItemAsync(item.ItemSeq, context.Now, ct);
        var copies = await outbox.PostsToDeleteAsync(item.ItemSeq, ct);
        var outcomes = new List<(PostedMessage Post, DeleteResult Result)>();
        foreach (var post in copies.Posts)
        {
            var result = await telegram.DeleteMessageAsync(post.Chat, post.MessageId, ct);
            if (result is DeleteResult.Deleted)
            {
                await store.MarkMessageDeletedAsync(item.ItemSeq, post.Chat, post.MessageId, context.Now, ct);
            }

            outcomes.Add((post, result));
        }

        var takedown = new Takedown(item, cancelled, copies.KeptChats, outcomes);
        LogTakenDown(item.ItemSeq, item.Code, takedown.Deleted, takedown.Refused.Count, takedown.Failed.Count, cancelled.Cancelled);
        await store.AuditAsync($"{context.Key}:result", message.From?.Id ?? chat, "unpost-result", takedown.AuditLine(), allowed: true, context.Now, ct);
        await context.ReplyAsync(chat, takedown.Answer(context), ct);
    }

    private static string Shorten(string text) => text.Length <= MaxTitle ? text : text[..(MaxTitle - 1)] + "…";

    /// <summary>What one /unpost did, for the answer and the audit trail.</summary>
    private sealed record Takedown(TrackedItem Item, CancelledDeliveries Cancelled, long KeptChats, IReadOnlyList<(PostedMessage Post, DeleteResult Result)> Outcomes)
    {
        public int Deleted => Outcomes.Count(outcome => outcome.Result is DeleteResult.Deleted);

        public int AlreadyGone => Outcomes.Count(outcome => outcome.Result is DeleteResult.Deleted { AlreadyGone: true });

        public IReadOnlyList<(PostedMessage Post, DeleteResult.Refused Refusal)> Refused =>
            [.. Outcomes.Where(outcome => outcome.Result is DeleteResult.Refused).Select(outcome => (outcome.Post, (DeleteResult.Refused)outcome.Result))];

        public IReadOnlyList<(PostedMessage Post, DeleteResult.Failed Failure)> Failed =>
            [.. Outcomes.Where(outcome => outcome.Result is DeleteResult.Failed).Select(outcome => (outcome.Post, (DeleteResult.Failed)outcome.Result))];

        public string Answer(CommandContext context)
        {
            var text = new StringBuilder(context.Text(TextNames.UnpostHeader, ReplyLinks.Anchor(HtmlText.Escape(Shorten(Item.Title)), Item.Link)));
            text.Append("\n\n");
            if (Outcomes.Count == 0)
            {
                text.Append(context.Text(TextNames.UnpostNothingToDelete));
            }
            else
            {
                text.Append(context.Text(TextNames.UnpostDeleted, Deleted, Outcomes.Count));
                if (AlreadyGone > 0)
                {
                    text.Append(' ').Append(context.Text(TextNames.UnpostAlreadyGone, AlreadyGone));
                }
            }

            if (Refused.Count > 0)
            {
                text.Append("\n\n").Append(context.Text(TextNames.UnpostRefusedHeader));
                foreach (var (post, refusal) in Refused)
                {
                    var reason = refusal.TooOld
                        ? context.Text(TextNames.UnpostTooOld, HtmlText.Escape(refusal.Description))
                        : HtmlText.Escape(refusal.Description);
                    text.Append("\n• ").Append(ChatName(post)).Append(": ").Append(reason);
                }
            }

            if (Failed.Count > 0)
            {
                text.Append("\n\n").Append(context.Text(TextNames.UnpostFailedHeader));
                foreach (var (post, failure) in Failed)
                {
                    text.Append("\n• ").Append(ChatName(post)).Append(": ").Append(HtmlText.Escape(failure.Reason));
                }
            }

            text.Append("\n\n").Append(context.Text(TextNames.UnpostCancelled, Cancelled.Cancelled));
            if (Cancelled.InFlight > 0)
            {
                text.Append(' ').Append(context.Text(TextNames.UnpostInFlight, Cancelled.InFlight));
            }

            if (KeptChats > 0)
            {
                text.Append('\n').Append(context.Text(TextNames.UnpostKept, KeptChats));
            }

            return text.ToString();
        }

        /// <summary>The figures, and where Telegram refused or could not be reached.</summary>
        public string AuditLine()
        {
            var line = string.Create(CultureInfo.InvariantCulture,
                $"item {Item.ItemSeq} ({Item.Code}): deleted {Deleted} of {Outcomes.Count} ({AlreadyGone} already gone), cancelled {Cancelled.Cancelled}, kept {KeptChats}");
            var refused = Refused.Select(each => string.Create(CultureInfo.InvariantCulture, $"{each.Post.Chat}/{each.Post.MessageId}"));
            var failed = Failed.Select(each => string.Create(CultureInfo.InvariantCulture, $"{each.Post.Chat}/{each.Post.MessageId}"));
            line += Refused.Count > 0 ? $"; refused {string.Join(", ", refused)}" : "";
            line += Failed.Count > 0 ? $"; failed {string.Join(", ", failed)}" : "";
            return line.Length <= AuditLength ? line : line[..(AuditLength - 1)] + "…";
        }

        private static string ChatName(PostedMessage post) =>
            post.ChatTitle is { Length: > 0 } title
                ? $"{HtmlText.Escape(Shorten(title))} ({HtmlText.Escape(post.Chat)})"
                : HtmlText.Escape(post.Chat);
    }

    [LoggerMessage(EventId = 3040, Level = LogLevel.Information,
        Message = "Item {ItemSeq} ({Code}) taken down: {Deleted} posts deleted, {Refused} refused by Telegram, {Failed} not reached, {Cancelled} waiting deliveries cancelled")]
    private partial void LogTakenDown(long itemSeq, string code, int deleted, int refused, int failed, int cancelled);
}
