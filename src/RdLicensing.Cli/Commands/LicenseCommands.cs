using System.CommandLine;
using System.Text.Json.Nodes;
using System.Text.Json;
using RdLicensing.Client;
using RdLicensing.Contracts;
using RdLicensing.Domain;

namespace RdLicensing.Cli.Commands;

/// <summary>
/// <c>rdlic license list|show|request|validate|revoke</c>: issued CALs (Win32_TSIssuedLicense), and the request a session
/// host makes when a client connects, so the whole CAL lifecycle can be driven from a shell.
/// </summary>
internal sealed class LicenseCommands : ICommandGroup
{
    // Every other outcome ("issued-temporary", "upgraded", "renewed", "valid", "issued-permanent", "per-user-recorded",
    // "per-user-not-tracked", and any the server adds later) is an answer the host accepts.
    private const string RefusedOutcome = "refused";

    public Command Build(CliContext cli)
    {
        var license = new Command("license", "Issued CALs: list, show, request, validate, revoke");
        license.Subcommands.Add(List(cli));
        license.Subcommands.Add(Show(cli));
        license.Subcommands.Add(Request(cli));
        license.Subcommands.Add(Validate(cli));
        license.Subcommands.Add(Revoke(cli));
        return license;
    }

    /// <summary>The JSON of <c>license request --json</c>: the CAL's fields plus outcome, cal, eventId and message.</summary>
    internal static JsonObject ResponseJson(LicenseResponse response)
    {
        JsonObject result = response.License is { } license
            ? JsonSerializer.SerializeToNode(license, LicensingClient.JsonOptions)!.AsObject()
            : [];
        result["outcome"] = response.Outcome;
        result["cal"] = response.Cal;
        result["eventId"] = response.EventId;
        result["message"] = response.Message;
        return result;
    }

    private static Command List(CliContext cli)
    {
        Option<string> status = CliOptions.OneOf<LicenseStatus>("--status", "Only CALs in this state", required: false);
        Option<string> type = CliOptions.OneOf<CalType>("--type", "Only CALs of this type", required: false);
        Option<string> version = CliOptions.ProductVersion("--version", "Only CALs of this product version", required: false);
        Option<string> machine = CliOptions.Text("--machine", "Only CALs issued to this machine", required: false);
        Option<string> user = CliOptions.Text("--user", "Only CALs issued to this user", required: false);
        Option<string> hwid = CliOptions.Hwid("--hwid", "Only CALs of this hardware id", required: false);
        Option<string> keyPack = CliOptions.Text("--key-pack", "Only CALs from this key pack", required: false);
        Option<string> search = CliOptions.Text("--search", "Free-text search (machine, user, license id)", required: false);
        Option<bool> json = CliOptions.Json();
        var command = new Command("list", "List issued CALs (every page)") { status, type, version, machine, user, hwid, keyPack, search, json };
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, cancellationToken, async client =>
        {
            var query = new LicenseQuery(
                CliOptions.Normalize<LicenseStatus>(parseResult.GetValue(status)),
                CliOptions.Normalize<CalType>(parseResult.GetValue(type)),
                CliOptions.NormalizeVersion(parseResult.GetValue(version)),
                parseResult.GetValue(machine),
                parseResult.GetValue(user),
                CliOptions.NormalizeHwid(parseResult.GetValue(hwid)),
                parseResult.GetValue(keyPack),
                parseResult.GetValue(search));
            IReadOnlyList<LicenseDto> licenses = await client.ListAllLicensesAsync(query, cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                cli.WriteJson(licenses);
            }
            else if (licenses.Count == 0)
            {
                await cli.Console.Error.WriteLineAsync("no CALs match").ConfigureAwait(false);
            }
            else
            {
                PrintTable(cli, licenses);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Show(CliContext cli)
    {
        Argument<string> id = CliOptions.Name("LICENSE_ID", "The CAL to show");
        Option<bool> json = CliOptions.Json();
        var command = new Command("show", "Show one CAL") { id, json };
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, cancellationToken, async client =>
        {
            LicenseDto license = await client.GetLicenseAsync(parseResult.GetValue(id)!.Trim(), cancellationToken).ConfigureAwait(false);
            Print(cli, license, parseResult.GetValue(json));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Request(CliContext cli)
    {
        Option<string> machine = CliOptions.Text("--machine", "Client machine name", required: false);
        Option<string> hwid = CliOptions.Hwid("--hwid", "Client hardware id, 40 hex digits (required per device)", required: false);
        Option<string> user = CliOptions.Text("--user", "User name (required per user)", required: false);
        Option<string> hostVersion = CliOptions.ProductVersion("--host-version", "Product version of the session host", required: true);
        Option<string> mode = CliOptions.OneOf("--mode", "Licensing mode of the session host", required: false, CalType.PerDevice, CalType.PerUser);
        Option<string> presented = CliOptions.Text("--license-id", "The CAL the client presented, if it holds one", required: false);
        Option<string> hostName = CliOptions.Text("--host-name", "Name of the session host asking", required: false);
        Option<bool> json = CliOptions.Json();
        var command = new Command("request", "Ask for a CAL as a session host does when a client connects")
        {
            machine, hwid, user, hostVersion, mode, presented, hostName, json,
        };
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, cancellationToken, async client =>
        {
            string licensingMode = CliOptions.Normalize<CalType>(parseResult.GetValue(mode)) ?? WireNames.Of(CalType.PerDevice);
            string? hardwareId = CliOptions.NormalizeHwid(parseResult.GetValue(hwid));
            string? userName = parseResult.GetValue(user);
            if (licensingMode == WireNames.Of(CalType.PerDevice) && hardwareId is null)
            {
                throw new CliUsageException("--hwid: required in per-device mode (the client's hardware id, 40 hex digits)");
            }

            if (licensingMode == WireNames.Of(CalType.PerUser) && userName is null)
            {
                throw new CliUsageException("--user: required in per-user mode");
            }

            var request = new LicenseRequest(
                parseResult.GetValue(machine),
                hardwareId,
                userName,
                CliOptions.NormalizeVersion(parseResult.GetValue(hostVersion))!,
                licensingMode,
                parseResult.GetValue(presented),
                parseResult.GetValue(hostName));
            LicenseResponse response = await client.RequestLicenseAsync(request, cancellationToken).ConfigureAwait(false);
            bool refused = string.Equals(response.Outcome, RefusedOutcome, StringComparison.OrdinalIgnoreCase);
            if (parseResult.GetValue(json))
            {
                cli.WriteJson(ResponseJson(response));
            }
            else
            {
                var fields = new List<(string, string?)> { ("outcome", response.Outcome) };
                if (response.EventId is { } eventId)
                {
                    fields.Add(("event id", eventId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }

                if (response.Message is { } message)
                {
                    fields.Add(("message", message));
                }

                cli.WriteFields(fields);
                if (response.License is { } license)
                {
                    PrintTable(cli, [license]);
                }
            }

            if (refused)
            {
                await cli.Console.Error.WriteLineAsync($"error: the license server refused: {response.Message ?? response.Outcome}"
                    + (response.EventId is { } id ? $" (event {id})" : "")).ConfigureAwait(false);
                return ExitCodes.Refused;
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Validate(CliContext cli)
    {
        Argument<string> id = CliOptions.Name("LICENSE_ID", "The CAL the client logged on with");
        Option<bool> json = CliOptions.Json();
        var command = new Command("validate", "Mark a CAL validated (the client logged on), as the session host does") { id, json };
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, cancellationToken, async client =>
        {
            LicenseDto license = await client.ValidateLicenseAsync(parseResult.GetValue(id)!.Trim(), cancellationToken).ConfigureAwait(false);
            Print(cli, license, parseResult.GetValue(json));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Revoke(CliContext cli)
    {
        Argument<string> id = CliOptions.Name("LICENSE_ID", "The per-device CAL to revoke");
        Option<bool> json = CliOptions.Json();
        var command = new Command("revoke", "Revoke a per-device CAL (at most 20% of a version's per-device CALs at once)") { id, json };
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, cancellationToken, async client =>
        {
            LicenseDto license = await client.RevokeLicenseAsync(parseResult.GetValue(id)!.Trim(), cancellationToken).ConfigureAwait(false);
            Print(cli, license, parseResult.GetValue(json));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void Print(CliContext cli, LicenseDto license, bool json)
    {
        if (json)
        {
            cli.WriteJson(license);
            return;
        }

        cli.WriteFields(
        [
            ("license id", license.LicenseId),
            ("status", license.Status),
            ("type", license.Type),
            ("version", license.Version),
            ("key pack", license.KeyPackId),
            ("machine", license.Machine),
            ("user", license.User),
            ("hwid", license.Hwid),
            ("issued on", CliContext.Format(license.IssuedOn)),
            ("expires on", CliContext.Format(license.ExpiresOn)),
            ("validated", license.Validated ? "yes" : "no"),
            ("revoked on", license.RevokedOn is null ? null : CliContext.Format(license.RevokedOn)),
            ("issued to host", license.IssuedToHost),
        ]);
    }

    private static void PrintTable(CliContext cli, IEnumerable<LicenseDto> licenses) =>
        cli.WriteTable(
            ["license id", "status", "type", "version", "machine", "user", "hwid", "expires", "key pack"],
            licenses.Select(l => new[]
            {
                l.LicenseId, l.Status, l.Type, l.Version, l.Machine, l.User, l.Hwid, CliContext.Format(l.ExpiresOn), l.KeyPackId,
            }));
}
