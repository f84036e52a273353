using System.CommandLine;
using RdLicensing.Contracts;

namespace RdLicensing.Cli.Commands;

/// <summary><c>rdlic key add|list|remove</c>: API keys of any role (admin, auditor, host).</summary>
internal sealed class KeyCommands : ICommandGroup
{
    private static readonly string[] s_roles = ["admin", "auditor", "host"];

    public Command Build(CliContext cli)
    {
        var key = new Command("key", "API keys: add, list, remove");
        key.Subcommands.Add(Add(cli));
        key.Subcommands.Add(List(cli));
        key.Subcommands.Add(Remove(cli));
        return key;
    }

    private static Command Add(CliContext cli)
    {
        Argument<string> name = CliOptions.Name("NAME", "Name of the key (who uses it)");
        Option<string> role = CliOptions.Choice("--role", "What the key may do", required: true, s_roles);
        Option<bool> json = CliOptions.Json();
        var command = new Command("add", "Create an API key; prints it once") { name, role, json };
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, cancellationToken, async client =>
        {
            var request = new CreateKeyRequest(parseResult.GetValue(name)!.Trim(), CliOptions.NormalizeChoice(parseResult.GetValue(role), s_roles)!);
            CreatedKeyDto created = await client.CreateKeyAsync(request, cancellationToken).ConfigureAwait(false);
            await HostCommands.PrintCreatedKeyAsync(cli, created, parseResult.GetValue(json)).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command List(CliContext cli)
    {
        Option<bool> json = CliOptions.Json();
        var command = new Command("list", "List API keys (names and roles; keys themselves are never shown again)") { json };
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, cancellationToken, async client =>
        {
            HostCommands.PrintKeys(cli, await client.ListKeysAsync(cancellationToken).ConfigureAwait(false), parseResult.GetValue(json));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Remove(CliContext cli)
    {
        Argument<string> name = CliOptions.Name("NAME", "The key to remove");
        var command = new Command("remove", "Remove an API key") { name };
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, cancellationToken, async client =>
        {
            string key = parseResult.GetValue(name)!.Trim();
            await client.RemoveKeyAsync(key, cancellationToken).ConfigureAwait(false);
            await cli.Console.Error.WriteLineAsync($"removed key {key}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
