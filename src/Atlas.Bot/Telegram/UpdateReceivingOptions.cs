namespace Atlas.Bot.Telegram;

/// <summary>Timings of receiving updates; the defaults suit Telegram, tests shorten them.</summary>
public sealed class UpdateReceivingOptions
{
    /// <summary>How long one getUpdates waits for an update before answering with none (Telegram allows up to 50).</summary>
    public int LongPollSeconds { get; set; } = 25;

    /// <summary>The wait after the first failure of a streak; it doubles with each further failure.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);
}
