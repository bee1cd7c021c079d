using Atlas.Bot.Stats;

namespace Atlas.Bot.Tests.Stats;

public sealed class StatsFormatTests
{
    private const string Nbsp = "\u00A0";

    [Theory]
    [InlineData(0L, "az", "0")]
    [InlineData(0L, "en", "0")]
    [InlineData(0L, "ru", "0")]
    [InlineData(12L, "az", "12")]
    [InlineData(999L, "en", "999")]
    [InlineData(1_000L, "en", "1,000")]
    [InlineData(1_000L, "az", "1" + Nbsp + "000")]
    [InlineData(1_000L, "ru", "1" + Nbsp + "000")]
    [InlineData(2_147_483_647L, "en", "2,147,483,647")]
    [InlineData(2_147_483_648L, "en", "2,147,483,648")]
    [InlineData(2_584_343_203L, "az", "2" + Nbsp + "584" + Nbsp + "343" + Nbsp + "203")]
    [InlineData(2_584_343_203L, "ru", "2" + Nbsp + "584" + Nbsp + "343" + Nbsp + "203")]
    [InlineData(2_584_343_203L, "en", "2,584,343,203")]
    [InlineData(long.MaxValue, "en", "9,223,372,036,854,775,807")]
    [InlineData(4_294_967_296L, "de", "4,294,967,296")]
    public void Numbers_are_grouped_by_thousands_for_the_admins_language(long value, string language, string expected) =>
        Assert.Equal(expected, StatsFormat.Number(value, language));

    [Fact]
    public void The_az_and_ru_separator_is_a_no_break_space_so_a_number_never_breaks_across_lines() =>
        Assert.DoesNotContain(' ', StatsFormat.Number(2_584_343_203L, "ru"));
}
