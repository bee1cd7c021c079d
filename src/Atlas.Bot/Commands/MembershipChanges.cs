using System.Globalization;
using Atlas.Bot.Delivery;
using Atlas.Bot.Storage;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Atlas.Bot.Commands;

/// <summary>
/// my_chat_member: the bot was added, promoted, restricted or removed. A private chat that blocked the bot is
/// unsubscribed at once; in groups and channels the membership (and whether the bot may post) is remembered for
/// /channels, and a subscribed group that removed the bot is unsubscribed.
/// </summary>
public sealed partial class MembershipChanges(Store store, Outbox outbox, ILogger<MembershipChanges> log)
{
    public async Task HandleAsync(ChatMemberUpdated change, CommandContext context, CancellationToken ct)
    {
        var chat = change.Chat;
        var member = change.NewChatMember;
        var gone = member.Status is ChatMemberStatus.Kicked or ChatMemberStatus.Left;
        if (chat.Type == ChatType.Private)
        {
            // Unblocking changes nothing until they send /start again.
            if (member.Status == ChatMemberStatus.Kicked && await outbox.EndSubscriptionAsync(chat.Id, "blocked", context.Now, ct) is { } dropped)
            {
                LogUnsubscribed(chat.Id, "blocked", dropped);
            }

            return;
        }

        var key = chat.Username is { Length: > 0 } username ? "@" + username : chat.Id.ToString(CultureInfo.InvariantCulture);
        var type = chat.Type.ToString().ToLowerInvariant();
        var status = member.Status.ToString().ToLowerInvariant();
        await store.RecordMembershipAsync(new Membership(key, chat.Title, type, status, CanPost(chat.Type, member), context.Now), ct);
        LogMembership(key, type, status);
        if (gone && chat.Type is ChatType.Group or ChatType.Supergroup
            && await outbox.EndSubscriptionAsync(chat.Id, "kicked", context.Now, ct) is { } droppedInGroup)
        {
            LogUnsubscribed(chat.Id, "kicked", droppedInGroup);
        }
    }

    /// <summary>In a channel only an admin with the right may post; in a group anyone not restricted from it.</summary>
    internal static bool CanPost(ChatType chatType, ChatMember member) => member switch
    {
        ChatMemberOwner => true,
        ChatMemberAdministrator admin => chatType != ChatType.Channel || admin.CanPostMessages == true,
        ChatMemberMember => chatType != ChatType.Channel,
        ChatMemberRestricted restricted => restricted.IsMember && restricted.CanSendMessages,
        _ => false,
    };

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Subscriber {Chat} is gone ({Reason}): unsubscribed, {Dropped} pending posts dropped")]
    private partial void LogUnsubscribed(long chat, string reason, int dropped);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "The bot is now {Status} in {Type} {Chat}")]
    private partial void LogMembership(string chat, string type, string status);
}
