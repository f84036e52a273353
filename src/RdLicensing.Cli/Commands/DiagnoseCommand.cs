using System.CommandLine;
using System.Net;
using RdLicensing.Analysis.Diagnoser;
using RdLicensing.Client;
using RdLicensing.Contracts;
using RdLicensing.Domain;
using RdLicensing.Registry;
using RdLicensing.Registry.Host;

namespace RdLicensing.Cli.Commands;

/// <summary>
/// <c>rdlic diagnose</c>: the RD Licensing Diagnoser (docs/diagnoser.md). Reads the host's configuration (its own, or
/// .reg exports of a Windows host), contacts each license server, and lists the problems with their Windows event ids.
/// </summary>
internal sealed class DiagnoseCommand : ICommandGroup
{
    /// <summary>The port a license server named without one is contacted on.</summary>
    internal const int DefaultPort = 5080;

    public Command Build(CliContext cli)
    {
        var regs = new Option<string[]>("--reg")
        {
            Description = "A .reg export of the host's licensing keys (RCM, TermService, policy); repeat for several; default: the host's own registry in --data",
            Arity = ArgumentArity.OneOrMore,
        };
        var hostVersion = CliOptions.ProductVersion("--host-version", "The session host's product version (default: from the CurrentVersion key if exported, else the newest)", required: false);
        var workgroup = new Option<bool>("--workgroup") { Description = "The host is in a workgroup (per-user CALs cannot be tracked there)" };
        var timeout = CliOptions.AtLeast("--timeout", "Seconds to wait for each license server (default 5)", 1, required: false);
        var json = CliOptions.Json();
        var servers = new Option<string[]>("--server")
        {
            Description = "A license server to contact (http://HOST:PORT); repeat for several",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command(
            "diagnose",
            "The Licensing Diagnoser: the host's configuration against its license servers (--server URL, repeatable), each problem with its Windows event id")
        {
            regs, servers, hostVersion, workgroup, timeout, json,
        };
        command.SetAction((parseResult, cancellationToken) => cli.RunOfflineAsync(parseResult, cancellationToken, async () =>
        {
            string[] regFiles = parseResult.GetValue(regs) ?? [];
            RegistryModel registry;
            if (regFiles.Length > 0)
            {
                registry = new RegistryModel();
                foreach (string file in regFiles)
                {
                    registry.Import(RegistryCommands.ReadRegFile(file));
                }
            }
            else
            {
                registry = HostConfigCommands.Load(HostConfigCommands.Store(cli, parseResult));
            }

            HostConfiguration config = HostConfiguration.Read(registry);
            ProductVersion version = CliOptions.NormalizeVersion(parseResult.GetValue(hostVersion)) is { } v
                ? ProductVersions.Parse(v)
                : config.HostVersion ?? ProductVersions.Latest;
            int seconds = parseResult.GetResult(timeout) is null ? 5 : parseResult.GetValue(timeout);
            (string? key, _) = cli.ResolveToken(parseResult);

            string[] serverValues = parseResult.GetValue(servers) ?? [];
            if (serverValues.Length == 0
                && (parseResult.GetValue(cli.ServerOption) ?? cli.Environment(CliContext.ServerVariable)) is { Length: > 0 } global)
            {
                // `rdlic --server URL diagnose` (the global option before the verb) or RDLIC_SERVER.
                serverValues = [global];
            }

            List<(string Name, Uri Url)> targets = Targets(config, ServerUrls(serverValues));
            var observations = new List<LicenseServerObservation>();
            foreach ((string name, Uri url) in targets)
            {
                observations.Add(await ObserveAsync(name, url, key, TimeSpan.FromSeconds(seconds), cancellationToken).ConfigureAwait(false));
            }

            Diagnosis diagnosis = LicensingDiagnoser.Run(new DiagnoserInput(
                config, version, TimeProvider.System.GetUtcNow(), observations, parseResult.GetValue(workgroup) ? true : null));
            if (parseResult.GetValue(json))
            {
                cli.WriteJson(ToJson(diagnosis, targets));
            }
            else
            {
                await PrintAsync(cli, diagnosis, targets).ConfigureAwait(false);
            }

            return diagnosis.Problems.Any(p => p.Severity == ProblemSeverity.Error) ? ExitCodes.Refused : ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>Every <c>--server</c> value, checked.</summary>
    private static List<Uri> ServerUrls(string[] values)
    {
        var urls = new List<Uri>();
        foreach (string text in values)
        {
            if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new CliUsageException($"--server: '{text}' is not an http:// or https:// address");
            }

            urls.Add(uri);
        }

        return urls;
    }

    /// <summary>
    /// The servers to contact: every <c>--server</c> URL (named by the configured server it stands for, matched by host
    /// name, else by its address), then every configured server no URL stands for, at http://NAME:5080/.
    /// </summary>
    internal static List<(string Name, Uri Url)> Targets(HostConfiguration config, IReadOnlyList<Uri> urls)
    {
        var targets = new List<(string, Uri)>();
        var matched = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (Uri url in urls)
        {
            string? name = config.LicenseServers.FirstOrDefault(s =>
                string.Equals(s, url.Host, StringComparison.OrdinalIgnoreCase)
                || string.Equals(s, url.Authority, StringComparison.OrdinalIgnoreCase)
                || string.Equals(s.TrimEnd('/'), url.ToString().TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
            if (name is not null)
            {
                matched.Add(name);
            }

            targets.Add((name ?? url.Authority, url));
        }

        foreach (string server in config.LicenseServers.Where(s => !matched.Contains(s)))
        {
            Uri? url = Uri.TryCreate(server, UriKind.Absolute, out Uri? absolute) && (absolute.Scheme == Uri.UriSchemeHttp || absolute.Scheme == Uri.UriSchemeHttps)
                ? absolute
                : Uri.TryCreate($"http://{server}:{DefaultPort}/", UriKind.Absolute, out Uri? guessed) ? guessed : null;
            if (url is not null)
            {
                targets.Add((server, url));
            }
        }

        return targets;
    }

    private static async Task<LicenseServerObservation> ObserveAsync(string name, Uri url, string? key, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = new LicensingClient(url, key);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            ServerStatusDto status = await client.GetServerAsync(deadline.Token).ConfigureAwait(false);
            IReadOnlyList<KeyPackDto> packs = await client.ListKeyPacksAsync(deadline.Token).ConfigureAwait(false);
            return LicenseServerObservation.Reached(name, ToFacts(status), packs.Select(ToFacts).OfType<KeyPackFacts>().ToList());
        }
        catch (LicensingServerUnreachableException ex)
        {
            return LicenseServerObservation.Unreachable(name, ex.Reason);
        }
        catch (LicensingApiException ex) when (ex.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return LicenseServerObservation.Refused(name, $"{(int)ex.StatusCode} {(ex.StatusCode == HttpStatusCode.Unauthorized ? "unauthorized" : "forbidden")}: {ex.Detail ?? ex.Title}");
        }
        catch (LicensingApiException ex)
        {
            return LicenseServerObservation.Unreachable(name, $"it answered {(int)ex.StatusCode}: {ex.Detail ?? ex.Title}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return LicenseServerObservation.Unreachable(name, $"no answer within {timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException ex)
        {
            return LicenseServerObservation.Unreachable(name, ex.Message.ToLowerInvariant());
        }
    }

    private static LicenseServerFacts ToFacts(ServerStatusDto status)
    {
        ProductVersions.TryParse(status.Version, out ProductVersion version);
        ActivationState activation = WireNames.TryParse(status.ActivationState, out ActivationState a) ? a : ActivationState.NotActivated;
        DiscoveryScope scope = WireNames.TryParse(status.DiscoveryScope, out DiscoveryScope s) ? s : DiscoveryScope.Domain;
        return new LicenseServerFacts(version, status.Version, activation, scope);
    }

    private static KeyPackFacts? ToFacts(KeyPackDto pack)
    {
        if (!WireNames.TryParse(pack.Type, out CalType type))
        {
            return null;
        }

        ProductVersions.TryParse(pack.Version, out ProductVersion version);
        return new KeyPackFacts(type, version, pack.Version, pack.Total, pack.Issued, pack.Available);
    }

    private static object ToJson(Diagnosis diagnosis, List<(string Name, Uri Url)> targets) => new
    {
        summary = diagnosis.Summary,
        licensesAvailable = diagnosis.LicensesAvailable,
        headline = diagnosis.Headline,
        host = new
        {
            mode = WireNames.Of(diagnosis.Mode),
            modeSource = HostConfigCommands.Source(diagnosis.ModeSource),
            licenseServers = diagnosis.LicenseServers,
            licenseServersSource = HostConfigCommands.Source(diagnosis.LicenseServersSource),
            version = diagnosis.HostVersion.Key,
            grace = HostConfigCommands.GraceJson(diagnosis.Grace),
        },
        servers = diagnosis.Servers.Select((s, i) => new
        {
            name = s.Name,
            url = targets[i].Url.ToString(),
            reachable = s.Reachable,
            error = s.Error,
            version = s.Status?.VersionText,
            activationState = s.Status is { } st ? WireNames.Of(st.Activation) : null,
            discoveryScope = s.Status is { } sc ? WireNames.Of(sc.Scope) : null,
            keyPacks = s.KeyPacks.Select(p => new { type = WireNames.Of(p.Type), version = p.VersionText, total = p.Total, issued = p.Issued, available = p.Available }),
        }),
        problems = diagnosis.Problems.Select(p => new
        {
            code = p.Code,
            severity = p.Severity.ToString().ToLowerInvariant(),
            eventId = p.EventId,
            eventSource = p.EventSource,
            relatedEventIds = p.RelatedEventIds,
            server = p.Server,
            problem = p.Problem,
            cause = p.Cause,
            resolution = p.Resolution,
        }),
    };

    private static async Task PrintAsync(CliContext cli, Diagnosis diagnosis, List<(string Name, Uri Url)> targets)
    {
        TextWriter output = cli.Console.Out;
        await output.WriteLineAsync(diagnosis.Headline).ConfigureAwait(false);
        cli.WriteFields(
        [
            ("licensing mode", $"{WireNames.Of(diagnosis.Mode)} ({HostConfigCommands.Source(diagnosis.ModeSource)})"),
            ("license servers", diagnosis.LicenseServers.Count == 0 ? "none" : $"{string.Join(", ", diagnosis.LicenseServers)} ({HostConfigCommands.Source(diagnosis.LicenseServersSource)})"),
            ("host version", diagnosis.HostVersion.Name),
            ("grace period", HostConfigCommands.GraceText(diagnosis.Grace)),
        ]);
        if (diagnosis.Servers.Count > 0)
        {
            cli.WriteTable(
                ["license server", "address", "reachable", "version", "activation", "CALs (type version available/total)"],
                diagnosis.Servers.Select((s, i) => (IReadOnlyList<string?>)
                [
                    s.Name,
                    targets[i].Url.ToString(),
                    s.Reachable ? "yes" : "no",
                    s.Status?.VersionText,
                    s.Status is { } st ? WireNames.Of(st.Activation) : s.Error,
                    string.Join("; ", s.KeyPacks.Select(p => $"{WireNames.Of(p.Type)} {p.VersionText} {p.Available}/{p.Total}")),
                ]));
        }

        await output.WriteLineAsync($"RD Licensing Diagnoser information - {diagnosis.Problems.Count} problem(s)").ConfigureAwait(false);
        foreach (DiagnoserProblem problem in diagnosis.Problems)
        {
            string @event = problem.EventId is { } id ? $"event {id}" : "no event";
            await output.WriteLineAsync($"[{problem.Severity.ToString().ToLowerInvariant()}] {problem.Code} ({@event}){(problem.Server is null ? "" : " " + problem.Server)}: {problem.Problem}").ConfigureAwait(false);
            await output.WriteLineAsync($"    cause: {problem.Cause}").ConfigureAwait(false);
            await output.WriteLineAsync($"    resolution: {problem.Resolution}").ConfigureAwait(false);
        }

        await output.WriteLineAsync(diagnosis.Summary).ConfigureAwait(false);
    }
}
