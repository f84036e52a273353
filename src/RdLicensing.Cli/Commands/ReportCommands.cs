using System.CommandLine;
using System.Globalization;
using RdLicensing.Analysis;
using RdLicensing.Analysis.Reports;
using RdLicensing.Contracts;
using RdLicensing.Domain;

namespace RdLicensing.Cli.Commands;

/// <summary>
/// <c>rdlic report per-device|per-user|keypacks [--csv FILE | --json]</c>: CAL reports of our license server, as
/// Win32_TSIssuedLicense, Win32_TSLicenseReport and Win32_TSLicenseKeyPack describe them (docs/reports.md).
/// </summary>
internal sealed class ReportCommands : ICommandGroup
{
    public Command Build(CliContext cli)
    {
        var report = new Command("report", "CAL reports of the license server: per-device, per-user, key packs (CSV as Export-Csv writes it, or JSON)");
        report.Subcommands.Add(PerDevice(cli));
        report.Subcommands.Add(PerUser(cli));
        report.Subcommands.Add(KeyPacks(cli));
        return report;
    }

    private static (Option<string?> Csv, Option<bool> Json) Outputs(Command command)
    {
        Option<string?> csv = new("--csv") { Description = "Write the report to this CSV file (as Export-Csv writes it)" };
        Option<bool> json = CliOptions.Json();
        command.Options.Add(csv);
        command.Options.Add(json);
        command.Validators.Add(result =>
        {
            if (result.GetResult(csv) is not null && result.GetValue(json))
            {
                result.AddError("--csv and --json: give one of them");
            }

            if (result.GetResult(csv) is not null && string.IsNullOrWhiteSpace(result.GetValue(csv)))
            {
                result.AddError("--csv: must name a file");
            }
        });
        return (csv, json);
    }

    private static Command PerDevice(CliContext cli)
    {
        var command = new Command("per-device", "Every issued per-device CAL, with the Win32_TSIssuedLicense columns");
        (Option<string?> csv, Option<bool> json) = Outputs(command);
        Option<bool> typeLine = new("--type-line") { Description = "Start the CSV with the #TYPE line Windows PowerShell 5.1 writes" };
        command.Options.Add(typeLine);
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, cancellationToken, async client =>
        {
            TerminalProgress progress = AnalysisSupport.Progress(cli, "reading licenses");
            IAsyncEnumerable<LicenseDto> licenses = AnalysisSupport.LicensesAsync(client, "per-device", progress, cancellationToken);
            long count;
            if (parseResult.GetValue(csv) is { } path)
            {
                string temporary = path + ".partial";
                try
                {
                    using StreamWriter file = AnalysisSupport.CreateText(temporary);
                    var writer = new PerDeviceCsvWriter(file, parseResult.GetValue(typeLine));
                    await foreach (LicenseDto license in licenses.ConfigureAwait(false))
                    {
                        if (license.Status != "expired")
                        {
                            writer.Write(AnalysisSupport.ToRecord(license));
                        }
                    }

                    count = writer.Count;
                }
                catch
                {
                    File.Delete(temporary);
                    throw;
                }

                File.Move(temporary, path, overwrite: true); // a failed read leaves no file that looks complete
                progress.Done();
                await cli.Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{count} per-device CALs written to {path}")).ConfigureAwait(false);
            }
            else if (parseResult.GetValue(json))
            {
                await using var stream = new TextWriterStream(cli.Console.Out);
                using var writer = new PerDeviceJsonWriter(stream);
                await foreach (LicenseDto license in licenses.ConfigureAwait(false))
                {
                    if (license.Status != "expired")
                    {
                        writer.Write(AnalysisSupport.ToRecord(license));
                    }
                }

                writer.Complete();
                await cli.Console.Out.WriteLineAsync().ConfigureAwait(false);
                progress.Done();
            }
            else
            {
                var rows = new List<string?[]>();
                await foreach (LicenseDto license in licenses.ConfigureAwait(false))
                {
                    if (license.Status != "expired")
                    {
                        IssuedLicenseRecord r = AnalysisSupport.ToRecord(license);
                        rows.Add([r.KeyPackId, r.LicenseId, r.Computer, r.User, r.HardwareId, CliContext.Format(r.IssueDate), CliContext.Format(r.ExpirationDate),
                            string.Create(CultureInfo.InvariantCulture, $"{(int)r.Status} {r.Status.ToString().ToLowerInvariant()}")]);
                    }
                }

                progress.Done();
                if (rows.Count == 0)
                {
                    await cli.Console.Error.WriteLineAsync("no per-device CALs issued").ConfigureAwait(false);
                }
                else
                {
                    cli.WriteTable(["KeyPackId", "LicenseId", "sIssuedToComputer", "sIssuedToUser", "sHardwareId", "IssueDate", "ExpirationDate", "LicenseStatus"], rows);
                }
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command PerUser(CliContext cli)
    {
        var command = new Command("per-user", "Per-user CAL usage: the summary per product version and one entry per user (Win32_TSLicenseReport)");
        (Option<string?> csv, Option<bool> json) = Outputs(command);
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, cancellationToken, async client =>
        {
            TerminalProgress progress = AnalysisSupport.Progress(cli, "reading licenses");
            var cals = new List<PerUserCal>();
            await foreach (LicenseDto license in AnalysisSupport.LicensesAsync(client, "per-user", progress, cancellationToken).ConfigureAwait(false))
            {
                if (license.Status != "expired" && license.Status != "revoked" && ProductVersions.TryParse(license.Version, out ProductVersion version))
                {
                    cals.Add(new PerUserCal(license.User ?? license.Machine ?? "", license.ExpiresOn, version));
                }
            }

            IReadOnlyList<KeyPackDto> packs = await client.ListKeyPacksAsync(cancellationToken).ConfigureAwait(false);
            progress.Done();
            PerUserReport report = PerUserReport.Build(cals, packs.Select(AnalysisSupport.ToRecord), TimeProvider.System);
            if (parseResult.GetValue(csv) is { } path)
            {
                string summaryPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFileNameWithoutExtension(path) + ".summary.csv");
                using (StreamWriter file = AnalysisSupport.CreateText(path))
                {
                    report.WriteEntriesCsv(file);
                }

                using (StreamWriter file = AnalysisSupport.CreateText(summaryPath))
                {
                    report.WriteSummaryCsv(file);
                }

                await cli.Console.Error.WriteLineAsync($"{report.Entries.Count} per-user CALs written to {path}, the summary to {summaryPath}").ConfigureAwait(false);
            }
            else if (parseResult.GetValue(json))
            {
                cli.Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(report, ReportJson.Options));
            }
            else
            {
                cli.WriteTable(["ProductVersion", "TSCALType", "InstalledLicenses", "IssuedLicenses", "over-allocated", "TSCALAvailability"],
                    report.Summary.Select(s => new[] { s.ProductVersion, s.TsCalType, Text(s.InstalledLicenses), Text(s.IssuedLicenses), Text(s.OverAllocated), s.TsCalAvailability }));
                if (report.Entries.Count > 0)
                {
                    cli.WriteTable(["User", "ExpirationDate", "CALType", "ProductVersion"],
                        report.Entries.Select(e => new[] { e.User, CliContext.Format(e.ExpirationDate), e.CalType, e.ProductVersion }));
                }
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command KeyPacks(CliContext cli)
    {
        var command = new Command("keypacks", "Key pack summary: TypeAndModel, ProductVersion, Total / Issued / Available, per-user over-allocation");
        (Option<string?> csv, Option<bool> json) = Outputs(command);
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, cancellationToken, async client =>
        {
            IReadOnlyList<KeyPackDto> packs = await client.ListKeyPacksAsync(cancellationToken).ConfigureAwait(false);
            KeyPackReport report = KeyPackReport.Build(packs.Select(AnalysisSupport.ToRecord));
            if (parseResult.GetValue(csv) is { } path)
            {
                using (StreamWriter file = AnalysisSupport.CreateText(path))
                {
                    report.WriteCsv(file);
                }

                await cli.Console.Error.WriteLineAsync($"{report.KeyPacks.Count} key packs written to {path}").ConfigureAwait(false);
            }
            else if (parseResult.GetValue(json))
            {
                cli.Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(report, ReportJson.Options));
            }
            else
            {
                cli.WriteTable(["KeyPackId", "TypeAndModel", "ProductVersion", "type", "Total", "Issued", "Available", "over-allocated", "ExpirationDate"],
                    report.KeyPacks.Select(p => new[]
                    {
                        p.KeyPackId, p.TypeAndModel, p.ProductVersion, p.CalType, Text(p.TotalLicenses), Text(p.IssuedLicenses), Text(p.AvailableLicenses),
                        p.OverAllocatedLicenses > 0 ? Text(p.OverAllocatedLicenses) + " (not enforced)" : "0", CliContext.Format(p.ExpirationDate),
                    }));
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
