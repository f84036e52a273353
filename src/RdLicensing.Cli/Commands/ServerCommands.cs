using System.CommandLine;
using RdLicensing.Contracts;
using RdLicensing.Domain;

namespace RdLicensing.Cli.Commands;

/// <summary><c>rdlic server status|health|activate|deactivate|set</c>: the license server itself.</summary>
internal sealed class ServerCommands : ICommandGroup
{
    public Command Build(CliContext cli)
    {
        var server = new Command("server", "The license server: status, activation, settings");
        server.Subcommands.Add(Status(cli));
        server.Subcommands.Add(Health(cli));
        server.Subcommands.Add(Activate(cli));
        server.Subcommands.Add(Deactivate(cli));
        server.Subcommands.Add(Set(cli));
        return server;
    }

    /// <summary>Prints a server status as fields or JSON.</summary>
    internal static void Print(CliContext cli, ServerStatusDto status, bool json)
    {
        if (json)
        {
            cli.WriteJson(status);
            return;
        }

        cli.WriteFields(
        [
            ("server id", status.ServerIdDisplay),
            ("name", status.Name),
            ("version", status.Version),
            ("activation", status.ActivationState),
            ("method", status.ActivationMethod),
            ("activated on", status.ActivatedOn is null ? null : CliContext.Format(status.ActivatedOn)),
            ("discovery scope", status.DiscoveryScope),
            ("prevent upgrade", status.PreventLicenseUpgrade ? "yes" : "no"),
            ("certificate", status.CertificateThumbprint),
            ("contact", status.Contact is { } c ? $"{c.FirstName} {c.LastName}, {c.Company}, {c.Country}" : null),
        ]);
    }

    private static Command Status(CliContext cli)
    {
        Option<bool> json = CliOptions.Json();
        var command = new Command("status", "Show the license server: id, activation, scope") { json };
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, cancellationToken, async client =>
        {
            Print(cli, await client.GetServerAsync(cancellationToken).ConfigureAwait(false), parseResult.GetValue(json));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Health(CliContext cli)
    {
        Option<bool> json = CliOptions.Json();
        var command = new Command("health", "Check that the server answers (needs no key)") { json };
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, cancellationToken, async client =>
        {
            HealthDto health = await client.GetHealthAsync(cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                cli.WriteJson(health);
            }
            else
            {
                cli.WriteFields([("status", health.Status), ("node", health.Node), ("server id", health.ServerId), ("activation", health.ActivationState), ("store", health.Store)]);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Activate(CliContext cli)
    {
        Option<string> method = CliOptions.OneOf<ActivationMethod>("--method", "Connection method", required: true);
        Option<string> firstName = CliOptions.Text("--first-name", "Contact first name", required: true);
        Option<string> lastName = CliOptions.Text("--last-name", "Contact last name", required: true);
        Option<string> company = CliOptions.Text("--company", "Company", required: true);
        Option<string> country = CliOptions.Text("--country", "Country or region (e.g. US)", required: true);
        Option<string> email = CliOptions.Text("--email", "Contact e-mail", required: false);
        Option<string> unit = CliOptions.Text("--organizational-unit", "Organizational unit", required: false);
        Option<string> address = CliOptions.Text("--address", "Company address", required: false);
        Option<string> city = CliOptions.Text("--city", "City", required: false);
        Option<string> state = CliOptions.Text("--state", "State or province", required: false);
        Option<string> postalCode = CliOptions.Text("--postal-code", "Postal code", required: false);
        Option<bool> json = CliOptions.Json();
        var command = new Command("activate", "Activate the license server (it then issues permanent CALs)")
        {
            method, firstName, lastName, company, country, email, unit, address, city, state, postalCode, json,
        };
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, cancellationToken, async client =>
        {
            var request = new ActivateRequest(
                CliOptions.Normalize<ActivationMethod>(parseResult.GetValue(method))!,
                parseResult.GetValue(firstName)!,
                parseResult.GetValue(lastName)!,
                parseResult.GetValue(company)!,
                parseResult.GetValue(country)!,
                parseResult.GetValue(email),
                parseResult.GetValue(unit),
                parseResult.GetValue(address),
                parseResult.GetValue(city),
                parseResult.GetValue(state),
                parseResult.GetValue(postalCode));
            ServerStatusDto status = await client.ActivateAsync(request, cancellationToken).ConfigureAwait(false);
            Print(cli, status, parseResult.GetValue(json));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Deactivate(CliContext cli)
    {
        Option<string> method = CliOptions.OneOf<ActivationMethod>("--method", "Connection method", required: false);
        Option<string> confirmation = CliOptions.Text("--confirmation-code", "Confirmation code (telephone deactivation)", required: false);
        Option<bool> json = CliOptions.Json();
        var command = new Command("deactivate", "Deactivate the license server (it then issues temporary CALs only)") { method, confirmation, json };
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, cancellationToken, async client =>
        {
            var request = new DeactivateRequest(CliOptions.Normalize<ActivationMethod>(parseResult.GetValue(method)), parseResult.GetValue(confirmation));
            Print(cli, await client.DeactivateAsync(request, cancellationToken).ConfigureAwait(false), parseResult.GetValue(json));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Set(CliContext cli)
    {
        Option<string> scope = CliOptions.OneOf<DiscoveryScope>("--scope", "Discovery scope", required: false);
        Option<bool?> preventUpgrade = new("--prevent-upgrade") { Description = "Prevent license upgrade: never issue a newer version's CAL (true or false)" };
        Option<string> name = CliOptions.Text("--name", "Display name of the license server", required: false);
        Option<bool> json = CliOptions.Json();
        var command = new Command("set", "Change server settings (at least one of --scope, --prevent-upgrade, --name)") { scope, preventUpgrade, name, json };
        command.SetAction((parseResult, cancellationToken) => cli.RunAsync(parseResult, cancellationToken, async client =>
        {
            var request = new ServerSettingsRequest(
                CliOptions.Normalize<DiscoveryScope>(parseResult.GetValue(scope)), parseResult.GetValue(preventUpgrade), parseResult.GetValue(name));
            if (request is { DiscoveryScope: null, PreventLicenseUpgrade: null, Name: null })
            {
                throw new CliUsageException("server set: give at least one of --scope, --prevent-upgrade, --name");
            }

            Print(cli, await client.UpdateSettingsAsync(request, cancellationToken).ConfigureAwait(false), parseResult.GetValue(json));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
