using System.CommandLine;
using System.Globalization;
using RdLicensing.Contracts;

namespace RdLicensing.Cli.Commands;

/// <summary><c>rdlic events list</c>: the decisions an admin must see, with their Windows event ids.</summary>
internal sealed class EventCommands : ICommandGroup
{
    public Command Build(CliContext cli)
    {
        var events = new Command("events", "The license server's event log");
        events.Subcommands.Add(List(cli));
        return events;
    }

    private static Command List(CliContext cli)
    {
        Option<long?> after = new("--after") { Description = "Only events after this sequence number" };
        after.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && CliOptions.TryGetValue(result, out long? value) && value < 0)
            {
                result.AddError("--after: must be 0 or more");
            }
        });
        Option<int> take = CliOptions.AtLeast("--take", "At most this many events", minimum: 1, required: false);
        Option<bool> json = CliOptions.Json();
        var command = new Command("list", "List events, oldest first") { after, take, json };
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, cancellationToken, async client =>
        {
            int? limit = parseResult.GetResult(take) is { Implicit: false } ? parseResult.GetValue(take) : null;
            IReadOnlyList<EventDto> events = await client.ListEventsAsync(parseResult.GetValue(after), limit, cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                cli.WriteJson(events);
            }
            else if (events.Count == 0)
            {
                await cli.Console.Error.WriteLineAsync("no events").ConfigureAwait(false);
            }
            else
            {
                cli.WriteTable(
                    ["#", "time", "event id", "level", "source", "message", "license", "key pack", "host"],
                    events.Select(e => new[]
                    {
                        e.Sequence.ToString(CultureInfo.InvariantCulture), CliContext.Format(e.Time), e.EventId.ToString(CultureInfo.InvariantCulture),
                        e.Level, ShortSource(e.Source), e.Message, e.LicenseId, e.KeyPackId, e.Host,
                    }));
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string ShortSource(string source) =>
        source.StartsWith("Microsoft-Windows-", StringComparison.Ordinal) ? source["Microsoft-Windows-".Length..] : source;
}
