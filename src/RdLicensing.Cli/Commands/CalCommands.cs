using System.CommandLine;
using System.Globalization;
using System.Text;
using RdLicensing.Crypto.Cal;
using RdLicensing.Wire;

namespace RdLicensing.Cli.Commands;

/// <summary>
/// <c>rdlic cal inspect FILE [--json] [--all]</c>: decodes one stored CAL — a <c>.cal</c> file as rdesktop and FreeRDP
/// write it (the raw pbLicenseInfo bytes), or the same bytes as hex text — and prints the fields TSCTST.EXE prints.
/// Works offline; Windows' own CALs decode too.
/// </summary>
internal sealed class CalCommands : ICommandGroup
{
    /// <summary>A CAL is a few kilobytes; files larger than this cannot be one.</summary>
    private const long MaxFileBytes = 1024 * 1024;

    public Command Build(CliContext cli)
    {
        var cal = new Command("cal", "Client access licenses as clients store them (.cal files)");
        cal.Subcommands.Add(Inspect(cli));
        return cal;
    }

    private static Command Inspect(CliContext cli)
    {
        Argument<string> file = CliOptions.Name("FILE", "A .cal file (rdesktop: ~/.local/share/rdesktop/licenses, FreeRDP: ~/.config/freerdp/licenses) or the CAL as hex text");
        Option<bool> json = CliOptions.Json();
        Option<bool> all = new("--all") { Description = "Also print the server certificate version, licensed product version, hardware id, client platform id and company name" };
        var command = new Command("inspect", "Show what a stored CAL says (the fields TSCTST.EXE prints)") { file, json, all };
        command.SetAction((parseResult, cancellationToken) => cli.RunOfflineAsync(parseResult, cancellationToken, () =>
        {
            string path = parseResult.GetValue(file)!;
            ClientLicenseInfo info = Decode(path, Load(path));
            bool everything = parseResult.GetValue(all);
            List<(string Name, string? Value)> fields =
            [
                ("Issuer", info.Issuer),
                ("Scope", info.Scope),
                ("Issued to computer", info.IssuedToComputer),
                ("Issued to user", info.IssuedToUser),
                ("License ID", info.LicenseId),
                ("Type/Version", info.TypeAndVersion),
                ("Valid From", CliContext.Format(info.ValidFrom)),
                ("Expires On", CliContext.Format(info.ExpiresOn)),
            ];
            if (everything)
            {
                fields.AddRange(
                [
                    ("Server certificate version", info.ServerCertificateVersion is { } v ? "0x" + v.ToString("X8", CultureInfo.InvariantCulture) : null),
                    ("Licensed product version", info.LicensedProductVersion),
                    ("Hardware ID", info.HardwareId is { } h ? Convert.ToHexString(h) : null),
                    ("Client platform ID", info.ClientPlatformId is { } p ? "0x" + p.ToString("X8", CultureInfo.InvariantCulture) : null),
                    ("Company name", info.CompanyName),
                ]);
            }

            if (parseResult.GetValue(json))
            {
                var document = new Dictionary<string, object?>
                {
                    ["format"] = info.Format == ClientLicenseFormat.Windows ? "windows" : "rdlicensing",
                    ["issuer"] = info.Issuer,
                    ["scope"] = info.Scope,
                    ["issuedToComputer"] = info.IssuedToComputer,
                    ["issuedToUser"] = info.IssuedToUser,
                    ["licenseId"] = info.LicenseId,
                    ["typeAndVersion"] = info.TypeAndVersion,
                    ["validFrom"] = info.ValidFrom,
                    ["expiresOn"] = info.ExpiresOn,
                    ["temporary"] = info.Temporary,
                };
                if (everything)
                {
                    document["serverCertificateVersion"] = info.ServerCertificateVersion;
                    document["licensedProductVersion"] = info.LicensedProductVersion;
                    document["hardwareId"] = info.HardwareId is { } h ? Convert.ToHexString(h) : null;
                    document["clientPlatformId"] = info.ClientPlatformId;
                    document["companyName"] = info.CompanyName;
                    document["productId"] = info.ProductId;
                    document["licenseServerId"] = info.LicenseServerId;
                }

                cli.WriteJson(document);
            }
            else
            {
                cli.WriteFields(fields);
            }

            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    private static byte[] Load(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new CliUsageException($"{path}: file not found");
            }

            if (info.Length > MaxFileBytes)
            {
                throw new CliUsageException($"{path}: {info.Length} bytes; a CAL is far smaller (at most {MaxFileBytes} bytes are read)");
            }

            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliUsageException($"{path}: {ex.Message.ToLowerInvariant().TrimEnd('.')}");
        }
    }

    /// <summary>Raw DER (starts with a SEQUENCE tag) or hex text (whitespace, "0x" prefixes and '#' comment lines allowed).</summary>
    private static ClientLicenseInfo Decode(string path, byte[] bytes)
    {
        byte[] cal = bytes.Length > 0 && bytes[0] == 0x30 ? bytes : FromHex(path, bytes);
        try
        {
            return ClientLicenseReader.Read(cal);
        }
        catch (ProtocolException ex)
        {
            throw new CliUsageException($"{path}: not a CAL: {ex.Message}");
        }
    }

    private static byte[] FromHex(string path, byte[] bytes)
    {
        var digits = new StringBuilder();
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new CliUsageException($"{path}: not a CAL: neither DER (a CAL starts with byte 0x30) nor hex text");
        }

        foreach (string line in text.Split('\n'))
        {
            string content = line.TrimStart();
            if (content.StartsWith('#'))
            {
                continue;
            }

            foreach (string token in content.Split([' ', '\t', '\r', ',', ':'], StringSplitOptions.RemoveEmptyEntries))
            {
                digits.Append(token.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? token[2..] : token);
            }
        }

        try
        {
            byte[] decoded = Convert.FromHexString(digits.ToString());
            return decoded.Length > 0 ? decoded : throw new CliUsageException($"{path}: empty file");
        }
        catch (FormatException)
        {
            throw new CliUsageException($"{path}: not a CAL: neither DER (a CAL starts with byte 0x30) nor hex text");
        }
    }
}
