using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using RdLicensing.Analysis;
using RdLicensing.Analysis.Csv;
using RdLicensing.Analysis.Findings;
using RdLicensing.Analysis.Imports;
using RdLicensing.Analysis.Reports;
using RdLicensing.Contracts;

namespace RdLicensing.Cli.Commands;

/// <summary>
/// <c>rdlic analyze issued-licenses [FILE.csv] [--keypacks FILE.csv] [--json]</c>: the duplicate-CAL finder and the
/// exhaustion forecast (docs/reports.md) over a Windows export, or over our own store when no file is given.
/// </summary>
internal sealed class AnalyzeCommands : ICommandGroup
{
    public Command Build(CliContext cli)
    {
        var analyze = new Command("analyze", "Offline analysis of CAL data");
        analyze.Subcommands.Add(IssuedLicenses(cli));
        return analyze;
    }

    private static Command IssuedLicenses(CliContext cli)
    {
        Argument<string?> file = new("FILE")
        {
            Description = "Export of Get-WmiObject (or Get-CimInstance) Win32_TSIssuedLicense | Export-Csv; omit it to analyse the license server (--server)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        Option<string?> keyPacks = new("--keypacks") { Description = "Export of Win32_TSLicenseKeyPack (for the 20% rule and the exhaustion forecast)" };
        Option<DateTimeOffset?> asOf = new("--as-of") { Description = "The moment the export describes (default: now)" };
        Option<bool> dayFirst = new("--day-first") { Description = "Culture dates in the CSV are d/M/yyyy (default M/d/yyyy, as en-US PowerShell writes)" };
        Option<TimeSpan?> offset = new("--utc-offset") { Description = "UTC offset of culture dates in the CSV, e.g. 01:00 (default 00:00); WMI datetimes carry their own" };
        Option<bool> json = CliOptions.Json();
        var command = new Command("issued-licenses", "Find devices that hold several per-device CALs (seed 002 causes), what can be revoked now, and when CALs run out")
        {
            file, keyPacks, asOf, dayFirst, offset, json,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(file) is not null && result.GetResult(cli.ServerOption) is { Implicit: false })
            {
                result.AddError("FILE and --server: give one of them (FILE analyses a Windows export, --server our own store)");
            }

            if (result.GetValue(file) is null && result.GetValue(keyPacks) is not null)
            {
                result.AddError("--keypacks: only with FILE (the license server's own key packs are read from it)");
            }
        });
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new AnalysisOptions(parseResult.GetValue(asOf));
            if (parseResult.GetValue(file) is { } path)
            {
                return await cli.RunOfflineAsync(parseResult, cancellationToken, () =>
                {
                    var import = new WmiImportOptions(
                        parseResult.GetValue(dayFirst) ? DateOrder.DayFirst : DateOrder.MonthFirst, parseResult.GetValue(offset) ?? TimeSpan.Zero);
                    IReadOnlyList<KeyPackRecord>? packs = null;
                    if (parseResult.GetValue(keyPacks) is { } packPath)
                    {
                        using StreamReader packReader = AnalysisSupport.OpenText(packPath);
                        try
                        {
                            packs = KeyPackCsvReader.Read(packReader, import);
                        }
                        catch (CsvImportException ex)
                        {
                            throw AnalysisSupport.Describe(packPath, ex);
                        }
                    }

                    TerminalProgress progress = AnalysisSupport.Progress(cli, "reading " + Path.GetFileName(path));
                    AnalysisResult result;
                    using (StreamReader reader = AnalysisSupport.OpenText(path))
                    {
                        try
                        {
                            result = IssuedLicenseAnalyzer.Analyze(IssuedLicenseCsvReader.Read(reader, import), packs, TimeProvider.System, options, progress);
                        }
                        catch (CsvImportException ex)
                        {
                            progress.Done();
                            throw AnalysisSupport.Describe(path, ex);
                        }
                    }

                    progress.Done();
                    Print(cli, result, parseResult.GetValue(json));
                    return Task.FromResult(ExitCodes.Ok);
                }).ConfigureAwait(false);
            }

            return await cli.RunAsync(parseResult, cancellationToken, async client =>
            {
                TerminalProgress progress = AnalysisSupport.Progress(cli, "reading licenses");
                IReadOnlyList<KeyPackRecord> packs = [.. (await client.ListKeyPacksAsync(cancellationToken).ConfigureAwait(false)).Select(AnalysisSupport.ToRecord)];
                var analyzer = new IssuedLicenseAnalyzer(TimeProvider.System, options);
                await foreach (LicenseDto license in AnalysisSupport.LicensesAsync(client, "per-device", progress, cancellationToken).ConfigureAwait(false))
                {
                    analyzer.Add(AnalysisSupport.ToRecord(license));
                }

                progress.Done();
                Print(cli, analyzer.Complete(packs), parseResult.GetValue(json));
                return ExitCodes.Ok;
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static void Print(CliContext cli, AnalysisResult result, bool json)
    {
        if (json)
        {
            cli.Console.Out.WriteLine(JsonSerializer.Serialize(result, ReportJson.Options));
            return;
        }

        TextWriter output = cli.Console.Out;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Rows} issued CALs, {result.LiveCals} held, {result.Devices} devices (as of {CliContext.Format(result.AsOf)})"));
        foreach (string limitation in result.Limitations)
        {
            cli.Console.Error.WriteLine("warning: " + limitation);
        }

        if (result.Findings.Count == 0)
        {
            output.WriteLine("no findings");
            return;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Findings.Count} finding{(result.Findings.Count == 1 ? "" : "s")}; {result.CalsWasted} CALs wasted, {result.RevocableNow} revocable now within the 20% rule"));
        foreach (Finding finding in result.Findings)
        {
            output.WriteLine();
            output.WriteLine($"[{finding.Kind}] {finding.Summary}");
            output.WriteLine($"  cause: {finding.Cause}");
            output.WriteLine($"  resolution: {finding.Resolution}");
            if (finding.Devices.Count > 0)
            {
                cli.WriteTable(["computer", "hardware id", "role", "first issued", "last active", "held", "license ids"],
                    finding.Devices.Select(d => new[]
                    {
                        d.Computer, d.HardwareId, d.Role, CliContext.Format(d.FirstIssued), CliContext.Format(d.LastActivity),
                        d.LiveCals.ToString(CultureInfo.InvariantCulture), string.Join(", ", d.LicenseIds),
                    }));
            }

            if (finding.WastedCals.Count > 0)
            {
                cli.WriteTable(["wasted CAL", "key pack", "computer", "version", "expires", "revoke now", "note"],
                    finding.WastedCals.Select(w => new[]
                    {
                        w.LicenseId, w.KeyPackId, w.Computer, w.Version ?? "?", CliContext.Format(w.ExpiresOn), w.RevocableNow ? "yes" : "no", w.Note,
                    }));
            }
        }

        if (result.RevocationBudgets.Count > 0)
        {
            output.WriteLine();
            cli.WriteTable(["version", "installed", "limit (20%)", "already revoked", "room", "planned now", "next revocation"],
                result.RevocationBudgets.Select(b => new[]
                {
                    b.Version, Text(b.InstalledPerDeviceCals), Text(b.Limit), Text(b.AlreadyRevoked), Text(b.Room), Text(b.PlannedNow),
                    b.NextRevokeAllowedOn is { } next ? CliContext.Format(next) : "-",
                }));
        }
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
