using Atlas.Bot.Telegram;
using Atlas.Bot.Tests.Telegram.Fake;

namespace Atlas.Bot.Tests.Telegram;

/// <summary>The bot learns its own account from getMe, in the background, whatever Telegram answers.</summary>
public sealed class BotIdentityTests : IAsyncLifetime
{
    private ReceivingRig _rig = null!;
    private readonly BotIdentity _identity = new();

    public async Task InitializeAsync() => _rig = await ReceivingRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task GetMe_tells_the_bot_its_id_and_username()
    {
        await RunLoaderAsync();

        Assert.Equal(new BotAccount(123456789, "atlas_test_bot"), _identity.Current);
        Assert.Equal(_identity.Current, await _identity.WaitAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("atlas_test_bot", true)]
    [InlineData("Atlas_Test_Bot", true)]
    [InlineData("@atlas_test_bot", true)]
    [InlineData("other_bot", false)]
    public void A_command_is_ours_without_a_name_or_with_our_name(string? mention, bool ours)
    {
        _identity.Learn(new BotAccount(123456789, "atlas_test_bot"));

        Assert.Equal(ours, _identity.IsAddressedToUs(mention));
    }

    [Fact]
    public void While_the_account_is_unknown_only_unnamed_commands_are_ours()
    {
        Assert.Null(_identity.Current);
        Assert.True(_identity.IsAddressedToUs(null));
        Assert.False(_identity.IsAddressedToUs("atlas_test_bot"));
    }

    [Fact]
    public async Task A_refused_token_is_one_clear_error_without_the_token()
    {
        _rig.Api.Fault = _ => new FakeReply.ApiError(401, "Unauthorized");

        await RunLoaderAsync();

        Assert.Null(_identity.Current);
        var error = Assert.Single(_rig.LogLines(LogLevel.Error));
        Assert.EndsWith("The bot token was refused by Telegram (401 Unauthorized): check Telegram__BotToken", error, StringComparison.Ordinal);
        Assert.Single(_rig.Api.Requests);
        _rig.AssertNoTokenInLogs();
    }

    [Fact]
    public async Task An_unreachable_Telegram_is_retried_until_it_answers()
    {
        var calls = 0;
        _rig.Api.Fault = _ => Interlocked.Increment(ref calls) <= 2 ? FakeReply.InternalServerError() : null;

        await RunLoaderAsync();

        Assert.Equal("atlas_test_bot", _identity.Current?.Username);
        Assert.Equal(3, calls);
        Assert.Single(_rig.LogLines(LogLevel.Warning));
    }

    private async Task RunLoaderAsync()
    {
        using var loader = new BotIdentityLoader(_rig.Client, _identity, ReceivingRig.Fast, TimeProvider.System, _rig.Logger<BotIdentityLoader>());
        await loader.StartAsync(CancellationToken.None);
        await loader.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
