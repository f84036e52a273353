using System.CommandLine;
using RdLicensing.Server;

namespace RdLicensing.Cli.Commands;

/// <summary>
/// <c>rdlic serve</c>: runs the license server (REST API, web UI, session-host listener) on the embedded SQLite store
/// under the data directory, until Ctrl+C or SIGTERM.
/// </summary>
internal sealed class ServeCommand : ICommandGroup
{
    private const string DefaultUrls = "http://127.0.0.1:5080";
    // The session-host listener is opt-in until it is part of the server (then: "127.0.0.1:3389", as DESIGN.md says).
    private const string DefaultRdp = "off";
    private const string CaPasswordVariable = "RDLIC_CA_PFX_PASSWORD";

    public Command Build(CliContext cli)
    {
        Option<string> urls = CliOptions.Text("--urls", $"Where the REST API and web UI listen, ';'-separated (default {DefaultUrls})", required: false);
        Option<string> rdp = CliOptions.Text("--rdp", $"HOST:PORT of the session-host RDP listener (e.g. 127.0.0.1:3389), or 'off' (default {DefaultRdp})", required: false);
        rdp.Validators.Add(result =>
        {
            string? value = CliOptions.TryGetValue(result, out string? text) ? text : null;
            if (value is not null && !string.IsNullOrWhiteSpace(value) && !IsOff(value) && !IsEndpoint(value))
            {
                result.AddError($"--rdp: '{value}' is not HOST:PORT (e.g. 127.0.0.1:3389) or 'off'");
            }
        });
        Option<string> store = CliOptions.Choice("--store", "Store", required: false, "sqlite", "postgres");
        Option<string> connection = CliOptions.Text("--connection", "Store connection string (required for postgres; SQLite default: DATA/rdlicensing.db)", required: false);
        Option<string> caPfx = CliOptions.Text("--ca-pfx", "PFX file of your own deployment CA (certificate and private key) instead of a generated one", required: false);
        Option<string> caPfxPassword = CliOptions.Text("--ca-pfx-password", $"Password of --ca-pfx (environment {CaPasswordVariable})", required: false);
        var command = new Command("serve", "Run the license server (REST API, web UI, session-host listener) until Ctrl+C")
        {
            urls, rdp, store, connection, caPfx, caPfxPassword,
        };
        command.SetAction((parseResult, cancellationToken) => cli.RunOfflineAsync(parseResult, cancellationToken, async () =>
        {
            string storeName = CliOptions.NormalizeChoice(parseResult.GetValue(store), "sqlite", "postgres") ?? "sqlite";
            string? connectionString = parseResult.GetValue(connection);
            if (storeName == "postgres" && connectionString is null)
            {
                throw new CliUsageException("--connection: required with --store postgres (e.g. \"Host=127.0.0.1;Username=rdlic;Password=…;Database=rdlic\")");
            }

            string? pfx = parseResult.GetValue(caPfx);
            if (pfx is not null && !File.Exists(pfx))
            {
                throw new CliUsageException($"--ca-pfx: file '{pfx}' not found");
            }

            string dataDirectory = cli.ResolveDataDirectory(parseResult);
            try
            {
                Directory.CreateDirectory(dataDirectory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliUsageException($"--data: cannot create '{dataDirectory}': {ex.Message.ToLowerInvariant()}");
            }

            string rdpValue = parseResult.GetValue(rdp) ?? DefaultRdp;
            var options = new LicenseServerOptions
            {
                DataDirectory = dataDirectory,
                Urls = parseResult.GetValue(urls) ?? DefaultUrls,
                Store = storeName,
                Connection = connectionString,
                Rdp = IsOff(rdpValue) ? null : rdpValue,
                CaPfx = pfx is null ? null : Path.GetFullPath(pfx),
                CaPfxPassword = parseResult.GetValue(caPfxPassword) ?? cli.Environment(CaPasswordVariable),
                Time = TimeProvider.System,
            };
            await cli.Console.Error.WriteLineAsync(
                $"rdlic serve: data {dataDirectory}, store {storeName}, api {options.Urls}, rdp {options.Rdp ?? "off"}; "
                + $"admin key in {Path.Combine(dataDirectory, CliContext.AdminTokenFile)}").ConfigureAwait(false);
            try
            {
                return await LicenseServerHost.RunAsync(options, cancellationToken).ConfigureAwait(false);
            }
            catch (NotSupportedException ex)
            {
                // An option this build of the server cannot honour (e.g. --rdp before the listener ships): a usage error.
                throw new CliUsageException(ex.Message);
            }
        }));
        return command;
    }

    private static bool IsOff(string value) =>
        value.Trim() is { } v && (v.Equals("off", StringComparison.OrdinalIgnoreCase) || v.Equals("none", StringComparison.OrdinalIgnoreCase));

    private static bool IsEndpoint(string value)
    {
        string v = value.Trim();
        int colon = v.LastIndexOf(':');
        return colon > 0 && colon < v.Length - 1
            && int.TryParse(v[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port)
            && port is >= 0 and <= 65535;
    }
}
