using System.Text.Json;
using Atlas.Bot.Commands;
using Atlas.Bot.Tests.Telegram.Fake;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Atlas.Bot.Tests.Commands;

public sealed class CommandMenuTests
{
    [Fact]
    public async Task The_menu_is_set_per_language_with_English_as_default_and_admins_get_their_commands()
    {
        await using var bot = await CommandHarness.StartAsync();

        await Menu(bot).StartAsync(default);

        Assert.Equal(["", "az", "chat:1001", "chat:1002", "ru"], bot.Telegram.Commands.Keys.Order());
        Assert.Equal(BotTexts.Get("az", "Menu_start"), Descriptions(bot, "az")["start"]);
        Assert.Equal(BotTexts.Get("en", "Menu_start"), Descriptions(bot, "")["start"]);
        Assert.Contains("broadcast", Descriptions(bot, "chat:1001").Keys);
        Assert.DoesNotContain("broadcast", Descriptions(bot, "ru").Keys);
    }

    [Fact]
    public async Task A_menu_Telegram_refuses_is_logged_and_the_bot_starts_anyway()
    {
        await using var bot = await CommandHarness.StartAsync();
        bot.Telegram.Fault = request => request.Method == "setmycommands" ? new FakeReply.ApiError(400, "Bad Request: chat not found") : null;

        await Menu(bot).StartAsync(default);

        Assert.Equal(5, bot.Logs.Messages.Count(line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains("command menu", StringComparison.Ordinal)));
    }

    private static CommandMenu Menu(CommandHarness bot) =>
        bot.Get<IEnumerable<IHostedService>>().OfType<CommandMenu>().Single();

    private static Dictionary<string, string> Descriptions(CommandHarness bot, string key) =>
        bot.Telegram.Commands[key].GetProperty("commands").EnumerateArray()
            .ToDictionary(command => command.GetProperty("command").GetString()!, command => command.GetProperty("description").GetString()!);
}
