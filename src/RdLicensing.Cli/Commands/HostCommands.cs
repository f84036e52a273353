using System.CommandLine;
using RdLicensing.Contracts;

namespace RdLicensing.Cli.Commands;

/// <summary>
/// <c>rdlic host add|list|remove</c>: the session hosts allowed to obtain CALs (the "Terminal Server License Servers"
/// idea), each with its own API key of role host.
/// </summary>
internal sealed class HostCommands : ICommandGroup
{
    public Command Build(CliContext cli)
    {
        var host = new Command("host", "Session hosts allowed to obtain CALs: add, list, remove");
        host.Subcommands.Add(Add(cli));
        host.Subcommands.Add(List(cli));
        host.Subcommands.Add(Remove(cli));
        HostConfigCommands.AddTo(host, cli);
        return host;
    }

    /// <summary>Prints a key created once: the key alone on stdout (or the JSON), the warning on stderr.</summary>
    internal static async Task PrintCreatedKeyAsync(CliContext cli, CreatedKeyDto created, bool json)
    {
        if (json)
        {
            cli.WriteJson(created);
        }
        else
        {
            await cli.Console.Out.WriteLineAsync(created.Key).ConfigureAwait(false);
        }

        await cli.Console.Error.WriteLineAsync($"created {created.Role} key '{created.Name}': this is the only time the key is shown; store it now").ConfigureAwait(false);
    }

    /// <summary>Prints API keys as a table or JSON.</summary>
    internal static void PrintKeys(CliContext cli, IReadOnlyList<ApiKeyDto> keys, bool json)
    {
        if (json)
        {
            cli.WriteJson(keys);
            return;
        }

        cli.WriteTable(
            ["name", "role", "created", "last seen"],
            keys.Select(k => new[] { k.Name, k.Role, CliContext.Format(k.CreatedOn), k.LastSeenOn is null ? "never" : CliContext.Format(k.LastSeenOn) }));
    }

    private static Command Add(CliContext cli)
    {
        Argument<string> name = CliOptions.Name("NAME", "Name of the session host (e.g. its computer name)");
        Option<bool> json = CliOptions.Json();
        var command = new Command("add", "Allow a session host; prints its new key once") { name, json };
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, cancellationToken, async client =>
        {
            CreatedKeyDto created = await client.AddHostAsync(parseResult.GetValue(name)!.Trim(), cancellationToken).ConfigureAwait(false);
            await PrintCreatedKeyAsync(cli, created, parseResult.GetValue(json)).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command List(CliContext cli)
    {
        Option<bool> json = CliOptions.Json();
        var command = new Command("list", "List the session hosts") { json };
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, cancellationToken, async client =>
        {
            IReadOnlyList<ApiKeyDto> hosts = await client.ListHostsAsync(cancellationToken).ConfigureAwait(false);
            if (hosts.Count == 0 && !parseResult.GetValue(json))
            {
                await cli.Console.Error.WriteLineAsync("no session hosts").ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            PrintKeys(cli, hosts, parseResult.GetValue(json));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Remove(CliContext cli)
    {
        Argument<string> name = CliOptions.Name("NAME", "The session host to remove (its key stops working)");
        var command = new Command("remove", "Remove a session host") { name };
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, cancellationToken, async client =>
        {
            string host = parseResult.GetValue(name)!.Trim();
            await client.RemoveHostAsync(host, cancellationToken).ConfigureAwait(false);
            await cli.Console.Error.WriteLineAsync($"removed session host {host}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
