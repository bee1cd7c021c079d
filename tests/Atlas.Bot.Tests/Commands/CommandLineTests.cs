using Atlas.Bot.Commands;

namespace Atlas.Bot.Tests.Commands;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("/start", "start", "", false)]
    [InlineData("/start@atlas_test_bot", "start", "", true)]
    [InlineData("/POLL@Atlas_Test_Bot   az  ", "poll", "az", true)]
    [InlineData("/broadcast Two\nlines", "broadcast", "Two\nlines", false)]
    public void A_command_for_this_bot_is_read_with_its_arguments(string text, string name, string arguments, bool addressed)
    {
        var command = CommandLine.Parse(text, "atlas_test_bot");

        Assert.Equal((name, arguments, addressed), (command!.Name, command.Arguments, command.Addressed));
        Assert.Equal(arguments, text.Substring(command.ArgumentsOffset, arguments.Length));
    }

    [Theory]
    [InlineData("/start@other_bot")]
    [InlineData("/@atlas_test_bot")]
    [InlineData("/")]
    [InlineData("hello /start")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_is_not_a_command_for_this_bot(string? text) =>
        Assert.Null(CommandLine.Parse(text, "atlas_test_bot"));
}
