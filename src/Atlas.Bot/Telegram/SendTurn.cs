namespace Atlas.Bot.Telegram;

/// <summary>What Telegram made of a granted send, as far as its flood limits are concerned.</summary>
public enum TurnOutcome
{
    /// <summary>Answered (sent, or refused for its content): it counts against the limits.</summary>
    Answered,

    /// <summary>Refused without delivering anything (the chat blocked the bot): it counts against nothing.</summary>
    NotDelivered,

    /// <summary>429: it counts, its chat waits retry_after, and the global pace slows down.</summary>
    TooManyRequests,
}

/// <summary>
/// One send the <see cref="RateGovernor"/> allowed. It holds its places in the limits' windows until Telegram answers:
/// settle it with the answer as soon as it comes. Disposing it unsettled (a send abandoned on the wire) counts it as
/// answered then, which is the safe reading.
/// </summary>
public sealed class SendTurn : IDisposable
{
    private readonly RateGovernor _governor;
    private int _settled;

    internal SendTurn(RateGovernor governor, RateGovernor.ChatState state, long grantedAt)
    {
        _governor = governor;
        State = state;
        GrantedAt = grantedAt;
    }

    internal RateGovernor.ChatState State { get; }

    internal long GrantedAt { get; }

    /// <summary>Frees the turn's places as <paramref name="outcome"/> allows; only the first call counts.</summary>
    public void Settle(TurnOutcome outcome, TimeSpan retryAfter = default)
    {
        if (Interlocked.Exchange(ref _settled, 1) == 0)
        {
            _governor.Settle(this, outcome, retryAfter);
        }
    }

    /// <summary>Settles the turn from a send's result.</summary>
    public void Settle(SendResult result) =>
        Settle(result switch
        {
            SendResult.RetryAfter => TurnOutcome.TooManyRequests,
            SendResult.Blocked => TurnOutcome.NotDelivered,
            _ => TurnOutcome.Answered,
        }, result is SendResult.RetryAfter retry ? retry.Delay : default);

    public void Dispose() => Settle(TurnOutcome.Answered);
}
