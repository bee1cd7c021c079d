namespace Atlas.Bot.Telegram;

/// <summary>The bot's own account, as getMe describes it.</summary>
/// <param name="Username">Without the "@", e.g. "atlas_center_bot".</param>
public sealed record BotAccount(long Id, string Username);

/// <summary>
/// Who the bot is, learned once at start (<see cref="BotIdentityLoader"/>). Commands in groups may name a bot
/// ("/start@atlas_center_bot"); the router answers only those naming this one.
/// </summary>
public sealed class BotIdentity
{
    private readonly TaskCompletionSource<BotAccount> _known = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The account, or null while getMe has not answered (or the token was refused).</summary>
    public BotAccount? Current => _known.Task.IsCompletedSuccessfully ? _known.Task.Result : null;

    /// <summary>Completes when the account is known; it never does when the token is refused, so pass a deadline.</summary>
    public Task<BotAccount> WaitAsync(CancellationToken ct) => _known.Task.WaitAsync(ct);

    /// <summary>The bot's username, waiting at most <paramref name="patience"/> for getMe; null when still unknown.</summary>
    public async ValueTask<string?> UsernameAsync(TimeSpan patience, CancellationToken ct)
    {
        if (Current is { } known)
        {
            return known.Username;
        }

        try
        {
            return (await _known.Task.WaitAsync(patience, ct)).Username;
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <summary>Records the account; later calls are ignored (the bot's username does not change while it runs).</summary>
    public void Learn(BotAccount account) => _known.TrySetResult(account);

    /// <summary>
    /// True when a command's "@name" suffix (without the "@") is this bot, or when there is none. While the account is
    /// unknown a named command is not ours to answer: replying to another bot's command in a group is worse than a delay.
    /// </summary>
    public bool IsAddressedToUs(string? mention) =>
        string.IsNullOrEmpty(mention)
        || Current is { } me && string.Equals(mention.TrimStart('@'), me.Username, StringComparison.OrdinalIgnoreCase);
}
