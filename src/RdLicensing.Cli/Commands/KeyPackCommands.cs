using System.CommandLine;
using System.Globalization;
using RdLicensing.Contracts;
using RdLicensing.Domain;

namespace RdLicensing.Cli.Commands;

/// <summary><c>rdlic keypack install|list|remove</c>: CAL key packs (Win32_TSLicenseKeyPack).</summary>
internal sealed class KeyPackCommands : ICommandGroup
{
    public Command Build(CliContext cli)
    {
        var keypack = new Command("keypack", "CAL key packs: install, list, remove");
        keypack.Subcommands.Add(Install(cli));
        keypack.Subcommands.Add(List(cli));
        keypack.Subcommands.Add(Show(cli));
        keypack.Subcommands.Add(Remove(cli));
        return keypack;
    }

    private static Command Install(CliContext cli)
    {
        Option<string> program = CliOptions.OneOf<LicenseProgram>("--program", "License program", required: true);
        Option<string> code = CliOptions.Text("--code", "License code, agreement number or key pack id, as the program requires", required: true);
        Option<string> version = CliOptions.ProductVersion("--version", "Product version of the CALs", required: true);
        Option<string> type = CliOptions.OneOf<CalType>("--type", "CAL type", required: true);
        Option<int> quantity = CliOptions.AtLeast("--quantity", "Number of CALs", minimum: 1, required: true);
        Option<DateTimeOffset?> expires = new("--expires") { Description = "Expiry date of the key pack (e.g. 2027-06-30), if it has one" };
        Option<bool> json = CliOptions.Json();
        var command = new Command("install", "Install a key pack of CALs") { program, code, version, type, quantity, expires, json };
        command.Validators.Add(result =>
        {
            // The code's format depends on the program: check it here, before any request (the server checks it again).
            string? programText = result.GetResult(program) is { } p && CliOptions.TryGetValue(p, out string? pv) ? pv : null;
            string? codeText = result.GetResult(code) is { } c && CliOptions.TryGetValue(c, out string? cv) ? cv : null;
            if (programText is null || codeText is null || string.IsNullOrWhiteSpace(codeText)
                || !WireNames.TryParse(programText, out LicenseProgram parsedProgram))
            {
                return;
            }

            try
            {
                KeyPackCode.Parse(parsedProgram, codeText);
            }
            catch (LicensingException ex)
            {
                result.AddError($"--code: {ex.Message}");
            }
        });
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, cancellationToken, async client =>
        {
            var request = new InstallKeyPackRequest(
                CliOptions.Normalize<LicenseProgram>(parseResult.GetValue(program))!,
                parseResult.GetValue(code)!.Trim(),
                CliOptions.NormalizeVersion(parseResult.GetValue(version))!,
                CliOptions.Normalize<CalType>(parseResult.GetValue(type))!,
                parseResult.GetValue(quantity),
                parseResult.GetValue(expires));
            KeyPackDto installed = await client.InstallKeyPackAsync(request, cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                cli.WriteJson(installed);
            }
            else
            {
                PrintTable(cli, [installed]);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command List(CliContext cli)
    {
        Option<bool> json = CliOptions.Json();
        var command = new Command("list", "List key packs with their Total / Issued / Available counters") { json };
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, cancellationToken, async client =>
        {
            IReadOnlyList<KeyPackDto> packs = await client.ListKeyPacksAsync(cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                cli.WriteJson(packs);
            }
            else if (packs.Count == 0)
            {
                await cli.Console.Error.WriteLineAsync("no key packs installed").ConfigureAwait(false);
            }
            else
            {
                PrintTable(cli, packs);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Show(CliContext cli)
    {
        Argument<string> id = CliOptions.Name("KEY_PACK_ID", "The key pack to show");
        Option<bool> json = CliOptions.Json();
        var command = new Command("show", "Show one key pack") { id, json };
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, cancellationToken, async client =>
        {
            KeyPackDto pack = await client.GetKeyPackAsync(parseResult.GetValue(id)!.Trim(), cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                cli.WriteJson(pack);
            }
            else
            {
                PrintTable(cli, [pack]);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Remove(CliContext cli)
    {
        Argument<string> id = CliOptions.Name("KEY_PACK_ID", "The key pack to remove (refused while it has issued CALs)");
        var command = new Command("remove", "Remove a key pack") { id };
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, cancellationToken, async client =>
        {
            string keyPackId = parseResult.GetValue(id)!.Trim();
            await client.RemoveKeyPackAsync(keyPackId, cancellationToken).ConfigureAwait(false);
            await cli.Console.Error.WriteLineAsync($"removed key pack {keyPackId}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void PrintTable(CliContext cli, IEnumerable<KeyPackDto> packs) =>
        cli.WriteTable(
            ["key pack id", "program", "code", "version", "type", "total", "issued", "available", "installed", "expires"],
            packs.Select(p => new[]
            {
                p.KeyPackId, p.Program, p.Code, p.Version, p.TypeAndModel,
                p.Total.ToString(CultureInfo.InvariantCulture), p.Issued.ToString(CultureInfo.InvariantCulture),
                p.Available.ToString(CultureInfo.InvariantCulture), CliContext.Format(p.InstalledOn),
                p.ExpiresOn is null ? "never" : CliContext.Format(p.ExpiresOn),
            }));
}
