using Atlas.Bot.Tests.Telegram.Fake;

namespace Atlas.Bot.Tests.Telegram;

/// <summary>
/// Every test that runs the bot against the Bot API double ends here: the double counts flood limits strictly, as
/// Telegram may, and the bot's promise is that it never collects a 429. Tests that inject 429s on purpose say so.
/// </summary>
internal static class FloodAssert
{
    public static void NoneRefused(FakeBotApi api) =>
        Assert.True(api.FloodRefusals.Count == 0,
            $"the Bot API double refused {api.FloodRefusals.Count} sends for flood control: "
            + string.Join(", ", api.FloodRefusals.Take(10).Select(refusal => $"{refusal.Chat} at {refusal.At:HH:mm:ss.fff}")));
}
