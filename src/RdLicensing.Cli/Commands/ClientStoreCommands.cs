using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using RdLicensing.Analysis.ClientStore;
using RdLicensing.Analysis.Reports;
using RdLicensing.Crypto.Cal;
using RdLicensing.Registry;
using RdLicensing.Wire;

namespace RdLicensing.Cli.Commands;

/// <summary>
/// <c>rdlic client store inspect FILE [--json]</c>: reads a .reg export of a client's
/// HKLM\SOFTWARE\Microsoft\MSLicensing, shows each stored CAL with the fields TSCTST.EXE prints, and flags several
/// hardware ids (seed 002, cause 5).
/// </summary>
internal sealed class ClientStoreCommands : ICommandGroup
{
    /// <summary>A .reg export of MSLicensing is a few kilobytes; refuse files that could not be one.</summary>
    private const long MaxFileBytes = 64L * 1024 * 1024;

    public Command Build(CliContext cli)
    {
        var client = new Command("client", "The client side: the MSLicensing license store");
        var store = new Command("store", "A client's MSLicensing license store");
        store.Subcommands.Add(Inspect(cli));
        client.Subcommands.Add(store);
        return client;
    }

    private static Command Inspect(CliContext cli)
    {
        Argument<string> file = CliOptions.Name("FILE", @"A .reg export of HKLM\SOFTWARE\Microsoft\MSLicensing (regedit or reg export)");
        Option<bool> json = CliOptions.Json();
        var command = new Command("inspect", "Show the hardware ids and every stored CAL of an MSLicensing export; flag several hardware ids") { file, json };
        command.SetAction((parseResult, cancellationToken) => cli.RunOfflineAsync(parseResult, cancellationToken, () =>
        {
            string path = parseResult.GetValue(file)!;
            MsLicensingStore store = Load(path);
            var cals = store.Licenses.Select(Decode).ToList();
            var known = store.HardwareIds.Select(h => h.Hex).ToHashSet(StringComparer.Ordinal);
            var warnings = store.Warnings.ToList();
            foreach (StoredCal cal in cals)
            {
                if (cal.HardwareId is { } hwid && known.Count > 0 && !known.Contains(hwid))
                {
                    warnings.Add($"{cal.Key}: the CAL is bound to hardware id {hwid}, which is not this client's ClientHWID");
                }
            }

            if (parseResult.GetValue(json))
            {
                var document = new
                {
                    hardwareIds = store.HardwareIds.Select(h => new { key = h.KeyPath, value = h.ValueName, hardwareId = h.Hex }),
                    severalHardwareIds = store.HasSeveralHardwareIds,
                    licenses = cals,
                    warnings,
                };
                cli.Console.Out.WriteLine(JsonSerializer.Serialize(document, ReportJson.Options));
            }
            else
            {
                Print(cli, store, cals, warnings);
            }

            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    private static MsLicensingStore Load(string path)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxFileBytes)
            {
                throw new CliUsageException($"{path}: {info.Length} bytes; an MSLicensing export is far smaller (at most {MaxFileBytes} bytes are read)");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliUsageException($"{path}: {ex.Message.ToLowerInvariant().TrimEnd('.')}");
        }

        try
        {
            return MsLicensingStore.FromRegistry(RegistryModel.FromRegFile(RegFile.Parse(bytes)));
        }
        catch (RegFileFormatException ex)
        {
            throw new CliUsageException($"{path}: line {ex.Line}, column {ex.Column}: {ex.Reason}");
        }
        catch (FormatException ex)
        {
            throw new CliUsageException($"{path}: {ex.Message}");
        }
    }

    private static StoredCal Decode(StoredLicense license)
    {
        string key = license.KeyPath[(license.KeyPath.LastIndexOf('\\') + 1)..];
        if (license.ClientLicense is null)
        {
            return new StoredCal(key, license.CompanyName, license.LicenseScope, license.ProductId, null, null, "no ClientLicense value");
        }

        try
        {
            ClientLicenseInfo info = ClientLicenseReader.Read(license.ClientLicense);
            var fields = new List<CalField>
            {
                new("Issuer", info.Issuer),
                new("Scope", info.Scope ?? license.LicenseScope),
                new("Issued to computer", info.IssuedToComputer),
                new("Issued to user", info.IssuedToUser),
                new("License ID", info.LicenseId),
                new("Type/Version", info.TypeAndVersion),
                new("Valid From", CliContext.Format(info.ValidFrom)),
                new("Expires On", CliContext.Format(info.ExpiresOn)),
                new("Server certificate version", info.ServerCertificateVersion is { } v ? "0x" + v.ToString("X8", CultureInfo.InvariantCulture) : null),
                new("Licensed product version", info.LicensedProductVersion),
                new("Hardware ID", info.HardwareId is { } h ? Convert.ToHexString(h) : null),
                new("Client platform ID", info.ClientPlatformId is { } p ? "0x" + p.ToString("X8", CultureInfo.InvariantCulture) : null),
                new("Company name", info.CompanyName ?? license.CompanyName),
            };
            return new StoredCal(key, license.CompanyName, license.LicenseScope, license.ProductId,
                info.HardwareId is { } hw ? Convert.ToHexString(hw) : null, fields, null);
        }
        catch (ProtocolException ex)
        {
            return new StoredCal(key, license.CompanyName, license.LicenseScope, license.ProductId, null, null, "not a CAL: " + ex.Message);
        }
    }

    private static void Print(CliContext cli, MsLicensingStore store, List<StoredCal> cals, List<string> warnings)
    {
        TextWriter output = cli.Console.Out;
        if (store.HardwareIds.Count > 0)
        {
            cli.WriteTable(["hardware id", "key", "value"], store.HardwareIds.Select(h => new[] { h.Hex, h.KeyPath, h.ValueName }));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cals.Count} stored CAL{(cals.Count == 1 ? "" : "s")}"));
        foreach (StoredCal cal in cals)
        {
            output.WriteLine();
            output.WriteLine($"{cal.Key} (ProductID {cal.ProductId ?? "-"}, LicenseScope {cal.LicenseScope ?? "-"}, CompanyName {cal.CompanyName ?? "-"})");
            if (cal.Fields is not null)
            {
                cli.WriteFields([.. cal.Fields.Select(f => (f.Name, f.Value))]);
            }
            else
            {
                output.WriteLine("  " + cal.Error);
            }
        }

        foreach (string warning in warnings)
        {
            cli.Console.Error.WriteLine("warning: " + warning);
        }
    }

    private sealed record CalField(string Name, string? Value);

    private sealed record StoredCal(
        string Key, string? CompanyName, string? LicenseScope, string? ProductId, string? HardwareId, IReadOnlyList<CalField>? Fields, string? Error);
}
