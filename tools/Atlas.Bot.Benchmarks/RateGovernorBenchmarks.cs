using System.Globalization;
using Atlas.Bot.Telegram;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Benchmarks;

/// <summary>
/// The dispatcher asks the governor before every send. Fan-out: 100,000 distinct private chats in turn at the highest
/// limit (1000/s, paid broadcasts) with the clock moving 2 ms a call, so every call is granted. Refused: one chat that
/// has just been sent to, asked again at the same instant, the "wait" path a dispatcher meets for a chat it just served.
/// Each granted turn is answered at once (settled), as a send with no latency would be.
/// </summary>
[MemoryDiagnoser]
public class RateGovernorBenchmarks : IDisposable
{
    private const int Chats = 100_000;

    private readonly RateLimits _limits = new() { GlobalPerSecond = 1000, PerChatPerSecond = 1, GroupPerMinute = 20 };
    private string[] _chats = [];
    private RateGovernor _fanOut = null!;
    private RateGovernor _refusing = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _chats = Enumerable.Range(1, Chats).Select(id => (100_000_000L + id).ToString(CultureInfo.InvariantCulture)).ToArray();
        _fanOut = new RateGovernor(Options.Create(_limits), new SteppingClock(TimeSpan.FromMilliseconds(2)));
        foreach (var chat in _chats)
        {
            SendAt(_fanOut, chat);
        }

        _refusing = new RateGovernor(Options.Create(_limits), new SteppingClock(TimeSpan.Zero));
        SendAt(_refusing, _chats[0]);
    }

    [Benchmark]
    public bool TryAcquireAcrossChats()
    {
        var chat = _chats[_next];
        _next = _next + 1 == Chats ? 0 : _next + 1;
        return SendAt(_fanOut, chat);
    }

    [Benchmark]
    public TimeSpan TryAcquireRefused()
    {
        _refusing.TryAcquire(_chats[0], out _, out var wait);
        return wait;
    }

    private static bool SendAt(RateGovernor governor, string chat)
    {
        if (!governor.TryAcquire(chat, out var turn, out _))
        {
            return false;
        }

        turn.Settle(TurnOutcome.Answered);
        return true;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _fanOut.Dispose();
        _refusing.Dispose();
        GC.SuppressFinalize(this);
    }
}
