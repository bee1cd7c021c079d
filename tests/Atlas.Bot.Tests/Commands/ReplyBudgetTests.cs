using System.Diagnostics.Metrics;
using Atlas.Bot.Commands;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Atlas.Bot.Tests.Commands;

public sealed class ReplyBudgetTests
{
    private const long Person = 2001;
    private const long Group = -1005550001;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero));
    private long _update = 100;

    [Fact]
    public void One_person_gets_one_answer_then_one_notice_then_silence_until_two_seconds_have_passed()
    {
        var budget = Budget();

        Assert.Equal(Admission.Answer, Ask(budget, Person));
        Assert.Equal(Admission.Notice, Ask(budget, Person));
        Assert.Equal(Admission.Silence, Ask(budget, Person));
        _time.Advance(TimeSpan.FromSeconds(2) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(Admission.Silence, Ask(budget, Person));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(Admission.Answer, Ask(budget, Person));
        Assert.Equal(Admission.Answer, Ask(budget, 2002));
    }

    [Fact]
    public void Requests_over_budget_are_counted_by_what_they_got()
    {
        using var meters = new TestMeterFactory();
        var counted = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "atlas.bot.commands.over_budget")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var answer = (string)tags[0].Value!;
            counted[answer] = counted.GetValueOrDefault(answer) + value;
        });
        listener.Start();
        var budget = new ReplyBudget(Options.Create(new CommandLimits()), _time, new BotMetrics(meters, _time));

        Ask(budget, Person);
        Ask(budget, Person);
        Ask(budget, Person);
        Ask(budget, Person);

        Assert.Equal(new Dictionary<string, long> { ["notice"] = 1, ["nothing"] = 2 }, counted);
    }

    [Fact]
    public void A_steady_flood_earns_one_notice_a_minute_beside_the_answers_the_budget_allows()
    {
        var budget = Budget();
        var seen = new List<Admission>();

        // 30 requests a second for 70 seconds.
        for (var i = 0; i < 30 * 70; i++)
        {
            seen.Add(Ask(budget, Person));
            _time.Advance(TimeSpan.FromMilliseconds(1000.0 / 30));
        }

        Assert.Equal(35, seen.Count(admission => admission == Admission.Answer));
        Assert.Equal(2, seen.Count(admission => admission == Admission.Notice));
    }

    [Fact]
    public void A_group_gets_twenty_answers_a_minute_whoever_of_its_members_asks()
    {
        var budget = Budget();

        var first = Enumerable.Range(1, 22).Select(member => Ask(budget, 3000 + member, Group)).ToList();
        _time.Advance(TimeSpan.FromSeconds(59));
        var late = Ask(budget, 3100, Group);
        _time.Advance(TimeSpan.FromSeconds(1));
        var next = Ask(budget, 3101, Group);

        Assert.Equal([.. Enumerable.Repeat(Admission.Answer, 20), Admission.Notice, Admission.Silence], first);
        Assert.Equal((Admission.Silence, Admission.Answer), (late, next));
    }

    [Fact]
    public void A_full_group_costs_its_members_nothing_in_private_and_a_person_over_budget_costs_the_group_nothing()
    {
        var budget = Budget(groupPerMinute: 1);
        Assert.Equal(Admission.Answer, Ask(budget, 3001, Group));

        Assert.Equal(Admission.Notice, Ask(budget, 3002, Group));
        Assert.Equal(Admission.Answer, Ask(budget, 3002));

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(Admission.Answer, Ask(budget, 4001));
        Assert.Equal(Admission.Notice, Ask(budget, 4001, Group));
        Assert.Equal(Admission.Answer, Ask(budget, 4002, Group));
    }

    [Fact]
    public void The_same_update_asked_again_gets_the_same_decision_and_costs_nothing_more()
    {
        var budget = Budget();

        Assert.Equal(Admission.Answer, budget.Admit(1, Person, null));
        Assert.Equal(Admission.Answer, budget.Admit(1, Person, null));
        Assert.Equal(Admission.Notice, budget.Admit(2, Person, null));
        Assert.Equal(Admission.Notice, budget.Admit(2, Person, null));
        Assert.Equal(Admission.Silence, budget.Admit(3, Person, null));
    }

    [Fact]
    public void With_no_interval_a_person_is_limited_only_by_their_groups_budget()
    {
        var budget = Budget(perUserSeconds: 0);

        Assert.All(Enumerable.Range(0, 50), _ => Assert.Equal(Admission.Answer, Ask(budget, Person)));
    }

    [Fact]
    public void A_flood_of_distinct_ids_is_forgotten_after_a_minute_and_never_held_past_the_cap()
    {
        var budget = Budget();

        for (var id = 1; id <= ReplyBudget.Capacity + 5_000; id++)
        {
            Assert.Equal(Admission.Answer, Ask(budget, id, -id));
        }

        Assert.True(budget.Remembered <= 2 * ReplyBudget.Capacity, $"{budget.Remembered} remembered");
        _time.Advance(TimeSpan.FromMinutes(1));
        Ask(budget, Person);
        Assert.Equal(1, budget.Remembered);
    }

    private ReplyBudget Budget(int perUserSeconds = 2, int groupPerMinute = 20) =>
        new(Options.Create(new CommandLimits { PerUserSeconds = perUserSeconds, GroupPerMinute = groupPerMinute }), _time);

    private Admission Ask(ReplyBudget budget, long person, long? group = null) => budget.Admit(++_update, person, group);
}
