using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Atlas.Bot;

public static class MetricsServiceCollectionExtensions
{
    /// <summary>The bot's meter and the runtime's, exported in Prometheus format (mapped by MapMetrics), and the database gauges' refresh.</summary>
    public static IServiceCollection AddBotMetrics(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<BotMetrics>();
        services.AddHostedService<DatabaseGauges>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("atlas-bot"))
            .WithMetrics(metrics => metrics
                .AddMeter(BotMetrics.MeterName)
                // Built into .NET: GC, memory, CPU, thread pool; no instrumentation package needed.
                .AddMeter("System.Runtime")
                // Every series would otherwise carry otel_scope_name: one meter per name here, nothing to tell apart.
                .AddPrometheusExporter(prometheus => prometheus.ScopeInfoEnabled = false));
        return services;
    }
}
