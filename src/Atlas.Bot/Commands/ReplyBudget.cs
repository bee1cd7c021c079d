using Microsoft.Extensions.Options;

namespace Atlas.Bot.Commands;

/// <summary>What to do with a request the bot would answer.</summary>
public enum Admission
{
    /// <summary>Within budget: answer it.</summary>
    Answer,

    /// <summary>Over budget, for the first time in this episode: say "too many requests" instead, once.</summary>
    Notice,

    /// <summary>Over budget and already told: say nothing.</summary>
    Silence,
}

/// <summary>
/// Keeps answers to commands and button presses within budget: at most one answer per person every
/// <see cref="CommandLimits.PerUserSeconds"/>, and <see cref="CommandLimits.GroupPerMinute"/> in any minute in one group.
/// A request over budget is not handled at all; the first one of an episode gets one "too many requests" notice, the
/// rest nothing, until the budget has room again. An episode lasts <see cref="Episode"/> from its notice, so a steady
/// flood earns one notice a minute, plus the answers the budget allows.
/// </summary>
/// <remarks>
/// In memory: a restart forgets the budget, which costs at most one answer each. Only people and groups answered or
/// told within the last minute (or <see cref="CommandLimits.PerUserSeconds"/>, if longer) are remembered, and at most
/// <see cref="Capacity"/> of each: past the cap the least recently active are forgotten early, so a flood of distinct
/// ids can earn someone an answer sooner but cannot grow memory.
/// <para>
/// The decision is kept per update: asking again for the same update (its handler retried after a transient database
/// error) gets the same answer and costs nothing more.
/// </para>
/// </remarks>
public sealed class ReplyBudget
{
    public static readonly TimeSpan Episode = TimeSpan.FromMinutes(1);

    internal const int Capacity = 100_000;

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly Lock _lock = new();
    private readonly Table _people;
    private readonly Table _groups;
    private readonly BotMetrics? _metrics;

    /// <param name="metrics">Requests over budget are counted there; absent in tests of the budget alone.</param>
    public ReplyBudget(IOptions<CommandLimits> options, TimeProvider time, BotMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _metrics = metrics;
        _origin = time.GetTimestamp();
        var limits = options.Value;
        var perUser = TimeSpan.FromSeconds(limits.PerUserSeconds);
        _people = new Table(limits.PerUserSeconds > 0 ? 1 : int.MaxValue, perUser, perUser > Episode ? perUser : Episode);
        _groups = new Table(limits.GroupPerMinute, Minute, Episode > Minute ? Episode : Minute);
    }

    /// <summary>How many people and groups are remembered now (for tests).</summary>
    internal int Remembered
    {
        get
        {
            lock (_lock)
            {
                return _people.Remembered + _groups.Remembered;
            }
        }
    }

    /// <summary>
    /// Decides about update <paramref name="updateId"/>, a request from <paramref name="person"/>, in
    /// <paramref name="group"/> unless it came in a private chat; an answer or a notice is counted at once.
    /// </summary>
    public Admission Admit(long updateId, long person, long? group)
    {
        lock (_lock)
        {
            var now = _time.GetElapsedTime(_origin).Ticks;
            _people.Forget(now);
            _groups.Forget(now);
            var asker = _people.Find(person);
            if (asker?.LastUpdate == updateId)
            {
                return asker.LastAdmission;
            }

            var chat = group is { } id ? _groups.Find(id) : null;
            var personFull = asker is not null && !_people.HasRoom(asker, now);
            var groupFull = chat is not null && !_groups.HasRoom(chat, now);
            Admission admission;
            if (!personFull && !groupFull)
            {
                _people.Count(person, now);
                if (group is { } groupId)
                {
                    _groups.Count(groupId, now);
                }

                admission = Admission.Answer;
            }
            else
            {
                // The person's own limit is their episode; a full group is the group's, shared by its members.
                var (table, over) = personFull ? (_people, person) : (_groups, group!.Value);
                admission = table.Notify(over, now) ? Admission.Notice : Admission.Silence;
                _metrics?.OverBudget(noticed: admission == Admission.Notice);
            }

            if (admission != Admission.Silence)
            {
                // Remembered so that a retry of this update gets the same decision (a silent one queues nothing to retry).
                var remembered = _people.Find(person) ?? _people.Touch(person, now);
                (remembered.LastUpdate, remembered.LastAdmission) = (updateId, admission);
            }

            return admission;
        }
    }

    /// <summary>Who asked (people or groups): their recent answers and current episode, forgotten when they no longer matter.</summary>
    private sealed class Table(int perWindow, TimeSpan window, TimeSpan memory)
    {
        private readonly Dictionary<long, Asker> _askers = [];
        private readonly Queue<(long Id, long Touched)> _byAge = new();

        public int Remembered => _askers.Count;

        public Asker? Find(long id) => _askers.GetValueOrDefault(id);

        public bool HasRoom(Asker asker, long now)
        {
            while (asker.Answers.TryPeek(out var oldest) && now - oldest >= window.Ticks)
            {
                asker.Answers.Dequeue();
            }

            return asker.Answers.Count < perWindow;
        }

        /// <summary>Counts one answer.</summary>
        public void Count(long id, long now) => Touch(id, now).Answers.Enqueue(now);

        /// <summary>Starts an episode and returns true unless one is running.</summary>
        public bool Notify(long id, long now)
        {
            var asker = Touch(id, now);
            if (now < asker.EpisodeEnds)
            {
                return false;
            }

            asker.EpisodeEnds = now + Episode.Ticks;
            return true;
        }

        public Asker Touch(long id, long now)
        {
            if (!_askers.TryGetValue(id, out var asker))
            {
                asker = new Asker();
                _askers[id] = asker;
            }

            asker.Touched = now;
            _byAge.Enqueue((id, now));
            return asker;
        }

        /// <summary>Drops those untouched for longer than what any of their limits looks back, and the oldest past the cap.</summary>
        public void Forget(long now)
        {
            while (_byAge.TryPeek(out var oldest) && (now - oldest.Touched >= memory.Ticks || _byAge.Count >= Capacity))
            {
                _byAge.Dequeue();
                if (_askers.TryGetValue(oldest.Id, out var asker) && asker.Touched == oldest.Touched)
                {
                    _askers.Remove(oldest.Id);
                }
            }
        }
    }

    private sealed class Asker
    {
        /// <summary>When answers were counted, oldest first; only those within the window are kept.</summary>
        public Queue<long> Answers { get; } = new();

        public long EpisodeEnds { get; set; } = long.MinValue;

        public long Touched { get; set; }

        public long LastUpdate { get; set; } = -1;

        public Admission LastAdmission { get; set; }
    }
}
