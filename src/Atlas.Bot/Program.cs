// Atlas.Bot: the "Atlas" Research Center's Telegram distribution service. See README.md.
// This file is a table of contents: the verbs and where they live. The service's wiring is AddAtlasBot().
using Atlas.Bot.Cli;

using var shutdown = new CancellationTokenSource();
var invocation = Invocation.Parse(args);
if (invocation.Errors.Count > 0)
{
    foreach (var error in invocation.Errors)
    {
        Console.Error.WriteLine($"atlas-bot: {error}");
    }

    Console.Error.WriteLine(Invocation.Usage(invocation.Verb));
    return 2;
}

if (invocation.Version)
{
    Console.Out.WriteLine($"atlas-bot {Invocation.ProgramVersion}");
    return 0;
}

if (invocation.Help || invocation.Verb == Verb.Help)
{
    Console.Out.WriteLine(Invocation.Usage(invocation.Verb));
    return 0;
}

return invocation.Verb switch
{
    Verb.Preview => await PreviewVerb.RunAsync(invocation, Console.Out, Console.Error, shutdown.Token),
    Verb.Healthcheck => await HealthcheckVerb.RunAsync(invocation, Console.Error, shutdown.Token),
    Verb.Backup => await BackupVerb.RunAsync(invocation, Console.Out, Console.Error, shutdown.Token),
    Verb.Stats => await StatsVerb.RunAsync(invocation, Console.Out, Console.Error, shutdown.Token),
    Verb.CopyStore => await CopyStoreVerb.RunAsync(invocation, Console.Out, Console.Error, shutdown.Token),
    _ => await RunVerb.RunAsync(invocation, Console.Error, shutdown.Token),
};
