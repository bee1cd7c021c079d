using System.Text.Json.Nodes;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Atlas.Bot.Tests.Telegram.Fake;

public sealed partial class FakeBotApi
{
    private readonly Lock _updatesGate = new();
    private readonly List<(int Id, JsonNode Json)> _updates = [];
    private TaskCompletionSource _updateArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _lastUpdateId = 100;
    private CancellationTokenSource? _longPoll;
    private int _pollConflicts;

    /// <summary>getUpdates calls answered 409 because another one overlapped them: two bot instances polling.</summary>
    public int PollConflicts => Volatile.Read(ref _pollConflicts);

    /// <summary>Queues an update for getUpdates; its Id is assigned here and returned.</summary>
    public int EnqueueUpdate(Update update)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_updatesGate)
        {
            update.Id = ++_lastUpdateId;
            _updates.Add((update.Id, Serialize(update)!));
            _updateArrived.SetResult();
            _updateArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return update.Id;
        }
    }

    /// <summary>Queues a private message from a user, with a bot_command entity when it starts with "/".</summary>
    public int EnqueueMessage(long userId, string text, string languageCode = "en")
    {
        var command = text.StartsWith('/') ? text.Split(' ', 2)[0] : null;
        return EnqueueUpdate(new Update
        {
            Message = new Message
            {
                Id = _lastMessageIds.AddOrUpdate(userId, 1, static (_, last) => last + 1),
                Date = _time.GetUtcNow().UtcDateTime,
                Chat = new Chat { Id = userId, Type = ChatType.Private, FirstName = "Test user" },
                From = User(userId, languageCode),
                Text = text,
                Entities = command is null ? null : [new MessageEntity { Type = MessageEntityType.BotCommand, Offset = 0, Length = command.Length }],
            },
        });
    }

    /// <summary>Queues a press on an inline callback button under message <paramref name="messageId"/>.</summary>
    public int EnqueueCallbackQuery(long userId, int messageId, string data, string languageCode = "en") =>
        EnqueueUpdate(new Update
        {
            CallbackQuery = new CallbackQuery
            {
                Id = $"cq-{_lastUpdateId + 1}",
                From = User(userId, languageCode),
                ChatInstance = $"ci-{userId}",
                Data = data,
                Message = new Message
                {
                    Id = messageId,
                    Date = _time.GetUtcNow().UtcDateTime,
                    Chat = new Chat { Id = userId, Type = ChatType.Private, FirstName = "Test user" },
                },
            },
        });

    private static User User(long id, string languageCode) =>
        new() { Id = id, IsBot = false, FirstName = "Test user", LanguageCode = languageCode };

    /// <summary>
    /// Confirms updates below the offset, returns the rest; waits briefly for one when there are none. Refused, as Telegram
    /// refuses it, while a webhook is set: updates then go to the webhook only. As Telegram does, a getUpdates that
    /// arrives while another is still waiting ends the earlier one with 409 Conflict (two instances of one bot polling).
    /// </summary>
    private async Task<Outcome> GetUpdatesAsync(FakeRequest request, CancellationToken cancellationToken)
    {
        if (WebhookUrl is not null)
        {
            return new FakeReply.ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
        }

        using var mine = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        lock (_updatesGate)
        {
            _longPoll?.Cancel();
            _longPoll = mine;
        }

        try
        {
            return await LongPollAsync(request, mine.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _pollConflicts);
            return new FakeReply.ApiError(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
        }
        finally
        {
            lock (_updatesGate)
            {
                if (_longPoll == mine)
                {
                    _longPoll = null;
                }
            }
        }
    }

    private async Task<Outcome> LongPollAsync(FakeRequest request, CancellationToken cancellationToken)
    {
        var offset = request.Number("offset") ?? 0;
        var limit = (int)Math.Clamp(request.Number("limit") ?? 100, 1, 100);
        var timeout = TimeSpan.FromSeconds(Math.Max(0, request.Number("timeout") ?? 0));
        var wait = timeout < LongPollCap ? timeout : LongPollCap;
        while (true)
        {
            Task arrived;
            lock (_updatesGate)
            {
                if (offset > 0)
                {
                    _updates.RemoveAll(update => update.Id < offset);
                }

                if (_updates.Count > 0 || wait <= TimeSpan.Zero)
                {
                    return Outcome.Ok(new JsonArray([.. _updates.Take(limit).Select(update => update.Json.DeepClone())]));
                }

                arrived = _updateArrived.Task;
            }

            // Real time, not the injected clock: a long poll must end even when a test freezes time.
            try
            {
                await arrived.WaitAsync(wait, cancellationToken);
            }
            catch (TimeoutException)
            {
                wait = TimeSpan.Zero;
            }
        }
    }
}
