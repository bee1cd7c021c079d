using System.Diagnostics.Metrics;

namespace Atlas.Bot.Tests;

/// <summary>Meters for code constructed by hand (no host, so no IMeterFactory); disposed with the factory.</summary>
public sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public IReadOnlyList<Meter> Created
    {
        get
        {
            lock (_meters)
            {
                return [.. _meters];
            }
        }
    }

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        lock (_meters)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        lock (_meters)
        {
            _meters.ForEach(meter => meter.Dispose());
            _meters.Clear();
        }
    }
}
