using System.CommandLine;
using RdLicensing.Domain;
using RdLicensing.Server;
using RdLicensing.Server.SessionHost.Licensing;

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
    private const string HostKeyVariable = "RDLIC_HOST_KEY";
    private const int MinServerTimeoutSeconds = 1;
    private const int MaxServerTimeoutSeconds = 300;

    public Command Build(CliContext cli)
    {
        Option<string> urls = CliOptions.Text("--urls", $"Where the REST API and web UI listen, ';'-separated (default {DefaultUrls})", required: false);
        Option<string> rdp = CliOptions.Text("--rdp", $"HOST:PORT of the session-host RDP listener (e.g. 127.0.0.1:3389), or 'off' (default {DefaultRdp})", required: false);
        rdp.Validators.Add(result =>
        {
            string? value = CliOptions.TryGetValue(result, out string? text) ? text : null;
            if (value is not null && !string.IsNullOrWhiteSpace(value) && !IsOff(value) && !IsEndpoint(value))
            {
                result.AddError($"--rdp: '{value}' is not IP:PORT (e.g. 127.0.0.1:3389) or 'off'");
            }
        });
        Option<string> store = CliOptions.Choice("--store", "Store", required: false, "sqlite", "postgres");
        Option<string> connection = CliOptions.Text("--connection", "Store connection string (required for postgres; SQLite default: DATA/rdlicensing.db)", required: false);
        Option<string> caPfx = CliOptions.Text("--ca-pfx", "PFX file of your own deployment CA (certificate and private key) instead of a generated one", required: false);
        Option<string> caPfxPassword = CliOptions.Text("--ca-pfx-password", $"Password of --ca-pfx (environment {CaPasswordVariable})", required: false);
        Option<bool> noLicenseServer = new("--no-license-server")
        {
            Description = "Run only the session host (--rdp), asking the remote license servers of --license-server or the host registry",
        };
        Option<string> licenseServers = CliOptions.Text(
            "--license-server", "Remote license servers in order, comma-separated URLs (or HOST[:PORT], meaning http://HOST:5080); the host registry's list wins when set", required: false);
        Option<string> hostKey = CliOptions.Text("--host-key", $"This session host's key on the remote license servers ('rdlic host add NAME' prints one; environment {HostKeyVariable})", required: false);
        Option<string> hostVersion = CliOptions.ProductVersion("--host-version", "The session host's product version: the oldest CAL version it accepts (default: the newest)", required: false);
        Option<string> licensingMode = CliOptions.OneOf("--licensing-mode", "Licensing mode when the host registry sets none", required: false, LicensingMode.PerDevice, LicensingMode.PerUser);
        Option<int> serverTimeout = CliOptions.Between(
            "--license-server-timeout",
            $"Seconds one license server may take to answer before the next one is asked ({MinServerTimeoutSeconds}–{MaxServerTimeoutSeconds}; default {(int)new SessionHostLicensingOptions().PerServerTimeout.TotalSeconds})",
            MinServerTimeoutSeconds,
            MaxServerTimeoutSeconds,
            required: false);
        Option<bool> validateOnExchange = new("--validate-on-exchange")
        {
            Description = "Mark a new temporary CAL validated once the licensing exchange completed, instead of after a reported logon",
        };
        var command = new Command("serve", "Run the license server (REST API, web UI, session-host listener) until Ctrl+C")
        {
            urls, rdp, store, connection, caPfx, caPfxPassword, noLicenseServer, licenseServers, hostKey, hostVersion, licensingMode, serverTimeout, validateOnExchange,
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
            var hostOptions = new SessionHostLicensingOptions
            {
                DefaultLicenseServers = (parseResult.GetValue(licenseServers) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                HostKey = parseResult.GetValue(hostKey) ?? cli.Environment(HostKeyVariable),
                ValidateOnExchange = parseResult.GetValue(validateOnExchange),
            };
            foreach (string server in hostOptions.DefaultLicenseServers)
            {
                try
                {
                    RemoteLicenseServer.ParseAddress(server);
                }
                catch (FormatException ex)
                {
                    throw new CliUsageException("--license-server: " + ex.Message);
                }
            }

            if (parseResult.GetValue(hostVersion) is { } versionText)
            {
                hostOptions.HostVersion = ProductVersions.Parse(versionText);
            }

            if (parseResult.GetValue(licensingMode) is { } modeText && WireNames.TryParse(modeText.Trim(), out LicensingMode mode))
            {
                hostOptions.DefaultMode = mode;
            }

            if (parseResult.GetValue(serverTimeout) is > 0 and int seconds)
            {
                hostOptions.PerServerTimeout = TimeSpan.FromSeconds(seconds);
            }

            if (parseResult.GetValue(noLicenseServer))
            {
                if (IsOff(rdpValue))
                {
                    throw new CliUsageException("--no-license-server runs only the session host: give --rdp HOST:PORT, not 'off'");
                }

                if (hostOptions.DefaultLicenseServers.Count > 0 && string.IsNullOrWhiteSpace(hostOptions.HostKey))
                {
                    throw new CliUsageException($"--host-key: required with --license-server in host-only mode (or set {HostKeyVariable})");
                }

                await cli.Console.Error.WriteLineAsync(
                    $"rdlic serve: session host only, data {dataDirectory}, rdp {rdpValue}, license servers {(hostOptions.DefaultLicenseServers.Count == 0 ? "from the host registry" : string.Join(", ", hostOptions.DefaultLicenseServers))} ({hostOptions.PerServerTimeout.TotalSeconds:0} s each); "
                    + $"events in {Path.Combine(dataDirectory, FileHostEventLog.FileName)}").ConfigureAwait(false);
                using Microsoft.Extensions.Hosting.IHost hostOnly = SessionHostComposition.BuildHostOnly(rdpValue.Trim(), dataDirectory, hostOptions, TimeProvider.System);
                await Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions.RunAsync(hostOnly, cancellationToken).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

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
                SessionHost = hostOptions,
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
            && System.Net.IPEndPoint.TryParse(v.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase) ? "127.0.0.1" + v["localhost".Length..] : v, out _)
            && int.TryParse(v[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port)
            && port is >= 0 and <= 65535;
    }
}
