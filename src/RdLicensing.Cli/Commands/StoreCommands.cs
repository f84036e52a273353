using System.CommandLine;
using System.Globalization;
using RdLicensing.Storage;
using RdLicensing.Storage.Migration;

namespace RdLicensing.Cli.Commands;

/// <summary>
/// <c>rdlic store migrate --from sqlite:PATH --to postgres:CONNECTION</c>: moves a license server's data into another
/// store (the "migrate RDS CALs" job), with progress on stderr and a verification of counts and rows at the end.
/// Works on the stores directly: stop the server that uses the source first, and start nodes on the target after.
/// </summary>
internal sealed class StoreCommands : ICommandGroup
{
    public Command Build(CliContext cli)
    {
        var store = new Command("store", "The license server's store: migrate");
        store.Subcommands.Add(Migrate(cli));
        return store;
    }

    private static Command Migrate(CliContext cli)
    {
        Option<string> from = CliOptions.Text("--from", "The store to read: sqlite:PATH or postgres:CONNECTION-STRING", required: true);
        Option<string> to = CliOptions.Text("--to", "The empty store to fill: postgres:CONNECTION-STRING or sqlite:PATH", required: true);
        Option<bool> json = CliOptions.Json();
        var command = new Command("migrate", "Copy every key pack, CAL, event, key and certificate into an empty store, then verify counts and rows")
        {
            from, to, json,
        };
        command.SetAction((parseResult, cancellationToken) => cli.RunOfflineAsync(parseResult, cancellationToken, async () =>
        {
            StoreLocation source = Location(parseResult.GetValue(from), "--from");
            StoreLocation target = Location(parseResult.GetValue(to), "--to");
            await cli.Console.Error.WriteLineAsync($"migrating {source.Display} -> {target.Display}").ConfigureAwait(false);
            var progress = new ProgressLine(cli.Console.Error, live: ReferenceEquals(cli.Console.Error, Console.Error) && !Console.IsErrorRedirected);
            StoreMigrationReport report;
            try
            {
                report = await StoreMigrator.MigrateAsync(source, target, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (StoreMigrationException exception)
            {
                progress.End();
                await cli.Console.Error.WriteLineAsync("error: " + exception.Message).ConfigureAwait(false);
                return ExitCodes.Rejected;
            }

            progress.End();
            Print(cli, report, parseResult.GetValue(json));
            if (!report.Verified)
            {
                await cli.Console.Error.WriteLineAsync("error: verification failed: the target does not hold the same rows as the source (see the table); do not start nodes on it").ConfigureAwait(false);
                return ExitCodes.InternalError;
            }

            long rows = report.Tables.Sum(t => t.TargetRows);
            await cli.Console.Error.WriteLineAsync($"verified: {rows} rows in {report.Tables.Count} tables equal on both sides; key pack counters agree").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static StoreLocation Location(string? text, string option)
    {
        try
        {
            return StoreLocation.Parse(text ?? "");
        }
        catch (FormatException exception)
        {
            throw new CliUsageException($"{option}: {exception.Message}");
        }
    }

    private static void Print(CliContext cli, StoreMigrationReport report, bool json)
    {
        if (json)
        {
            cli.WriteJson(new
            {
                verified = report.Verified,
                tables = report.Tables.Select(t => new { table = t.Table, sourceRows = t.SourceRows, targetRows = t.TargetRows, differentRows = t.DifferentRows, firstDifference = t.FirstDifference }),
                keyPacks = report.TargetKeyPacks.Select(k => new { keyPackId = k.KeyPackId, total = k.Total, issued = k.Issued, activeRows = k.ActiveRows, agrees = k.Agrees }),
            });
            return;
        }

        cli.WriteTable(
            ["Table", "Source rows", "Target rows", "Different", "Result"],
            report.Tables.Select(t => (IReadOnlyList<string?>)
            [
                t.Table,
                N(t.SourceRows),
                N(t.TargetRows),
                N(t.DifferentRows),
                t.Equal ? "equal" : t.FirstDifference ?? "counts differ",
            ]));
        if (report.TargetKeyPacks.Count > 0)
        {
            cli.WriteTable(
                ["Key pack", "Total", "Issued", "CAL rows", "Result"],
                report.TargetKeyPacks.Select(k => (IReadOnlyList<string?>)
                [
                    k.KeyPackId,
                    N(k.Total),
                    N(k.Issued),
                    N(k.ActiveRows),
                    k.Agrees && report.SourceKeyPacks.Contains(k) ? "agrees" : "differs",
                ]));
        }
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Progress on stderr: one rewritten line on a terminal, one line per table and phase otherwise.</summary>
    private sealed class ProgressLine : IProgress<StoreMigrationProgress>
    {
        private readonly TextWriter _error;
        private readonly bool _live;
        private readonly object _gate = new();
        private (StoreMigrationPhase, string)? _current;
        private bool _open;

        public ProgressLine(TextWriter error, bool live)
        {
            _error = error;
            _live = live;
        }

        public void Report(StoreMigrationProgress value)
        {
            lock (_gate)
            {
                string verb = value.Phase == StoreMigrationPhase.Copy ? "copying" : "verifying";
                if (_live)
                {
                    _error.Write($"\r{verb} {value.Table}: {value.Done}/{value.Total}".PadRight(60));
                    _open = true;
                    if (value.Done == value.Total && _current != (value.Phase, value.Table))
                    {
                        _current = (value.Phase, value.Table);
                    }
                }
                else if (value.Done == value.Total && _current != (value.Phase, value.Table))
                {
                    _current = (value.Phase, value.Table);
                    _error.WriteLine($"{verb} {value.Table}: {value.Total} rows");
                }
            }
        }

        public void End()
        {
            lock (_gate)
            {
                if (_open)
                {
                    _error.WriteLine();
                    _open = false;
                }
            }
        }
    }
}
