using Atlas.Bot.Storage;
using Quartz;

namespace Atlas.Bot.Delivery;

/// <summary>
/// The schedule shared by replicas on PostgreSQL: Quartz's job store in the same database, clustered, so that each
/// feed's poll and each daily job fires on exactly one replica, and a dead replica's work moves to the others.
/// </summary>
public static class ClusteredSchedule
{
    /// <summary>How often each replica records that it is alive.</summary>
    public static readonly TimeSpan CheckinInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long past a missed check-in a replica counts as dead: its polls and jobs then move within
    /// <see cref="CheckinInterval"/> + this + one check-in of the survivor, 25 s, inside the 30 s ops were promised,
    /// and long enough that a garbage collection or a slow database moment does not write a live replica off.
    /// </summary>
    public static readonly TimeSpan CheckinMisfireThreshold = TimeSpan.FromSeconds(15);

    public static void UseClusteredStore(this IQuartzBuilder quartz, string connectionString)
    {
        // Every replica keeps Quartz's default scheduler name: the same name is what makes their schedulers one cluster.
        quartz.UsePersistentStore(store =>
        {
            store.UsePostgres(connectionString);
            store.ConfigureStore(options =>
            {
                options.TablePrefix = QuartzSchema.TablePrefix;
                // Our migrations create Quartz's tables (QuartzSchema); the scheduler only checks them.
                options.SchemaProvisioning = SchemaProvisioning.Validate;
            });
            store.UseClustering(cluster =>
            {
                cluster.CheckinInterval = CheckinInterval;
                cluster.CheckinMisfireThreshold = CheckinMisfireThreshold;
            });
        });
    }
}
