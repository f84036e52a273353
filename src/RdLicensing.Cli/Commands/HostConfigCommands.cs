using System.CommandLine;
using RdLicensing.Domain;
using RdLicensing.Registry;
using RdLicensing.Registry.Host;
using RdLicensing.Server.HostRegistry;

namespace RdLicensing.Cli.Commands;

/// <summary>
/// <c>rdlic host config show|set</c> and <c>rdlic host grace</c>: the session host's licensing configuration, kept in the
/// registry keys Windows uses (docs/registry.md), in the host's data directory (<c>--data</c>).
/// </summary>
internal static class HostConfigCommands
{
    /// <summary>Adds <c>config</c> and <c>grace</c> to the <c>host</c> command.</summary>
    public static void AddTo(Command host, CliContext cli)
    {
        var config = new Command("config", "The session host's licensing mode and license servers (registry keys as Windows keeps them)");
        config.Subcommands.Add(Show(cli));
        config.Subcommands.Add(Set(cli));
        host.Subcommands.Add(config);
        host.Subcommands.Add(Grace(cli));
    }

    /// <summary>The host's registry store in the data directory.</summary>
    internal static HostRegistryStore Store(CliContext cli, ParseResult parseResult) =>
        new(cli.ResolveDataDirectory(parseResult), TimeProvider.System);

    /// <summary>Loads the store's registry; a damaged file is a clear error naming the file, line and column.</summary>
    internal static RegistryModel Load(HostRegistryStore store)
    {
        try
        {
            return store.Load();
        }
        catch (RegFileFormatException ex)
        {
            throw new CliUsageException($"{store.FilePath}: {ex.Message}");
        }
    }

    /// <summary>The JSON shape of a host configuration.</summary>
    internal static object ToJson(HostConfiguration config, DateTimeOffset now) => new
    {
        mode = WireNames.Of(config.Mode),
        modeValue = (int)config.Mode,
        modeSource = Source(config.ModeSource),
        localMode = config.LocalMode is { } l ? WireNames.Of(l) : null,
        policyMode = config.PolicyMode is { } p ? WireNames.Of(p) : null,
        licenseServers = config.LicenseServers,
        licenseServersSource = Source(config.LicenseServersSource),
        localLicenseServers = config.LocalLicenseServers,
        policyLicenseServers = config.PolicyLicenseServers,
        grace = GraceJson(config.Grace(now)),
        hostVersion = config.HostVersion?.Key,
        warnings = config.Warnings,
    };

    internal static object GraceJson(GraceState grace) => new
    {
        daysLeft = grace.DaysLeft,
        end = grace.End,
        started = grace.Started,
        expired = grace.Expired,
    };

    internal static string Source(SettingSource source) => source switch
    {
        SettingSource.Policy => "policy",
        SettingSource.Local => "local",
        _ => "not-configured",
    };

    internal static string GraceText(GraceState grace) =>
        !grace.Started ? $"not started ({GracePeriod.Days} days once the host first starts or admits a client)"
        : grace.Expired ? $"over (ended {CliContext.Format(grace.End)})"
        : $"{grace.DaysLeft} days left (ends {CliContext.Format(grace.End)})";

    private static Command Show(CliContext cli)
    {
        Option<bool> json = CliOptions.Json();
        var command = new Command("show", "Show the effective licensing mode and license servers, where each comes from, and the grace period") { json };
        command.SetAction((parseResult, cancellationToken) => cli.RunOfflineAsync(parseResult, cancellationToken, () =>
        {
            HostRegistryStore store = Store(cli, parseResult);
            HostConfiguration config = HostConfiguration.Read(Load(store));
            DateTimeOffset now = TimeProvider.System.GetUtcNow();
            if (parseResult.GetValue(json))
            {
                cli.WriteJson(ToJson(config, now));
            }
            else
            {
                cli.WriteFields(
                [
                    ("licensing mode", $"{WireNames.Of(config.Mode)} ({(int)config.Mode}, {Source(config.ModeSource)})"),
                    ("license servers", config.LicenseServers.Count == 0 ? "none" : $"{string.Join(", ", config.LicenseServers)} ({Source(config.LicenseServersSource)})"),
                    ("grace period", GraceText(config.Grace(now))),
                    ("registry", store.FilePath),
                ]);
                foreach (string warning in config.Warnings)
                {
                    cli.Console.Error.WriteLine("warning: " + warning);
                }
            }

            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    private static Command Set(CliContext cli)
    {
        Option<string> mode = CliOptions.OneOf("--mode", "Licensing mode", required: false, LicensingMode.PerDevice, LicensingMode.PerUser);
        Option<string> servers = CliOptions.Text("--license-servers", "License servers in order, comma-separated (\"\" is refused; use --clear-license-servers)", required: false);
        Option<bool> clear = new("--clear-license-servers") { Description = "Remove the specified license servers" };
        var command = new Command("set", "Set the licensing mode and/or the license servers; the key is backed up first") { mode, servers, clear };
        command.SetAction((parseResult, cancellationToken) => cli.RunOfflineAsync(parseResult, cancellationToken, async () =>
        {
            string? modeText = parseResult.GetValue(mode);
            string? serverText = parseResult.GetValue(servers);
            bool clearServers = parseResult.GetValue(clear);
            if (modeText is null && serverText is null && !clearServers)
            {
                throw new CliUsageException("nothing to set: give --mode per-device|per-user and/or --license-servers a,b");
            }

            if (serverText is not null && clearServers)
            {
                throw new CliUsageException("--license-servers and --clear-license-servers exclude each other");
            }

            var changes = new List<HostChange>();
            if (modeText is not null)
            {
                WireNames.TryParse(modeText.Trim(), out LicensingMode parsed);
                changes.Add(HostChange.SetMode(parsed));
            }

            if (serverText is not null || clearServers)
            {
                string[] names = serverText is null ? [] : serverText.Split(',', StringSplitOptions.TrimEntries);
                try
                {
                    changes.Add(HostChange.SetLicenseServers(names));
                }
                catch (ArgumentException ex)
                {
                    throw new CliUsageException("--license-servers: " + ex.Message.Split(" (Parameter", 2)[0]);
                }
            }

            HostRegistryStore store = Store(cli, parseResult);
            Load(store);
            foreach (HostChange change in changes)
            {
                string backup = store.Apply(change);
                await cli.Console.Error.WriteLineAsync($"{change.Description}; the previous key is in {backup}").ConfigureAwait(false);
            }

            HostConfiguration config = store.ReadConfiguration();
            if (modeText is not null && config.ModeSource == SettingSource.Policy)
            {
                await cli.Console.Error.WriteLineAsync($"warning: group policy sets the licensing mode to {WireNames.Of(config.Mode)}; the local setting is ignored while the policy is present").ConfigureAwait(false);
            }

            if ((serverText is not null || clearServers) && config.LicenseServersSource == SettingSource.Policy)
            {
                await cli.Console.Error.WriteLineAsync($"warning: group policy sets the license servers to {string.Join(", ", config.LicenseServers)}; the local list is ignored while the policy is present").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Grace(CliContext cli)
    {
        Option<bool> json = CliOptions.Json();
        var command = new Command("grace", "Days left in the licensing grace period (as GetGracePeriodDays: 0 when over)") { json };
        command.SetAction((parseResult, cancellationToken) => cli.RunOfflineAsync(parseResult, cancellationToken, async () =>
        {
            HostConfiguration config = HostConfiguration.Read(Load(Store(cli, parseResult)));
            GraceState grace = config.Grace(TimeProvider.System.GetUtcNow());
            if (parseResult.GetValue(json))
            {
                cli.WriteJson(GraceJson(grace));
            }
            else
            {
                await cli.Console.Out.WriteLineAsync(grace.DaysLeft.ToString(System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
                await cli.Console.Error.WriteLineAsync("grace period: " + GraceText(grace)).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
