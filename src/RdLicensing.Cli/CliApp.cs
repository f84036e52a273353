using System.CommandLine;
using System.CommandLine.Help;
using RdLicensing.Cli.Commands;

namespace RdLicensing.Cli;

/// <summary>The <c>rdlic</c> command line: builds the command tree from <see cref="CommandGroups"/>, parses, runs.</summary>
internal static class CliApp
{
    /// <summary>Builds the root command for <paramref name="cli"/>.</summary>
    public static RootCommand BuildRoot(CliContext cli)
    {
        var root = new RootCommand("rdlic: Remote Desktop Services licensing — license server, session-host licensing and admin tools");
        root.Options.Add(cli.ServerOption);
        root.Options.Add(cli.TokenOption);
        root.Options.Add(cli.DataOption);
        foreach (ICommandGroup group in CommandGroups.All)
        {
            root.Subcommands.Add(group.Build(cli));
        }

        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code (docs/cli.md).</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console, Func<string, string?> environment, CancellationToken cancellationToken = default)
    {
        var cli = new CliContext(console, environment);
        RootCommand root = BuildRoot(cli);
        ParseResult parseResult;
        try
        {
            parseResult = root.Parse(args);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
        {
            // A bug in a validator; say so without a stack trace (RDLIC_DEBUG shows it).
            await console.Error.WriteLineAsync($"error: internal error while reading the arguments: {ex.Message}").ConfigureAwait(false);
            if (!string.IsNullOrEmpty(environment(CliContext.DebugVariable)))
            {
                await console.Error.WriteLineAsync(ex.ToString()).ConfigureAwait(false);
            }

            return ExitCodes.InternalError;
        }

        if (parseResult.Errors.Count > 0 && parseResult.Action is not HelpAction)
        {
            foreach (string message in parseResult.Errors.Select(e => e.Message).Distinct())
            {
                await console.Error.WriteLineAsync("error: " + LowerFirst(message)).ConfigureAwait(false);
            }

            string verb = string.Join(' ', parseResult.CommandResult.Command == root
                ? ["rdlic"]
                : Lineage(parseResult.CommandResult.Command, root).Prepend("rdlic"));
            await console.Error.WriteLineAsync($"run '{verb} --help' for usage").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = TimeSpan.FromSeconds(15),
        };
        return await parseResult.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    private static IEnumerable<string> Lineage(Command command, RootCommand root)
    {
        var names = new Stack<string>();
        for (Command? current = command; current is not null && current != root; current = current.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Push(current.Name);
        }

        return names;
    }

    // System.CommandLine's own messages ("Option '--code' is required.") in house style: lower-case, no trailing period.
    private static string LowerFirst(string message)
    {
        message = message.TrimEnd('.');
        return message.Length > 1 && char.IsUpper(message[0]) && !char.IsUpper(message[1]) ? char.ToLowerInvariant(message[0]) + message[1..] : message;
    }
}
