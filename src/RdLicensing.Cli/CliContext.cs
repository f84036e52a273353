using System.CommandLine;
using System.Net;
using System.Text.Json;
using RdLicensing.Client;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace RdLicensing.Cli;

/// <summary>
/// What every verb group shares: the global options (<c>--server</c>, <c>--token</c>, <c>--data</c>), the console, the
/// API client, and the one place where failures become exit codes and messages (never a stack trace for a user mistake).
/// </summary>
internal sealed class CliContext
{
    public const string DefaultServer = "http://127.0.0.1:5080";
    public const string ServerVariable = "RDLIC_SERVER";
    public const string TokenVariable = "RDLIC_TOKEN";
    public const string DataVariable = "RDLIC_DATA";
    public const string DebugVariable = "RDLIC_DEBUG";
    public const string AdminTokenFile = "admin.token";

    private static readonly JsonSerializerOptions s_printOptions = new(LicensingClient.JsonOptions) { WriteIndented = true };

    private readonly Func<string, string?> _environment;

    public CliContext(CliConsole console, Func<string, string?> environment)
    {
        Console = console;
        _environment = environment;
        ServerOption = new Option<string?>("--server")
        {
            Description = $"License server address (default {DefaultServer}; environment {ServerVariable})",
            Recursive = true,
        };
        TokenOption = new Option<string?>("--token")
        {
            Description = $"API key (environment {TokenVariable}; otherwise the admin.token of the data directory)",
            Recursive = true,
        };
        DataOption = new Option<string?>("--data")
        {
            Description = $"Data directory: where `serve` keeps its store, and whose admin.token other verbs use (environment {DataVariable}; default {DefaultDataDirectory()})",
            Recursive = true,
        };
    }

    public CliConsole Console { get; }

    /// <summary><c>--server URL</c> (global).</summary>
    public Option<string?> ServerOption { get; }

    /// <summary><c>--token KEY</c> (global).</summary>
    public Option<string?> TokenOption { get; }

    /// <summary><c>--data DIR</c> (global).</summary>
    public Option<string?> DataOption { get; }

    /// <summary>An environment variable (injected so tests control it).</summary>
    public string? Environment(string name) => _environment(name);

    /// <summary>The per-user data directory: LocalApplicationData/rdlic.</summary>
    public static string DefaultDataDirectory() =>
        Path.Combine(global::System.Environment.GetFolderPath(global::System.Environment.SpecialFolder.LocalApplicationData,
            global::System.Environment.SpecialFolderOption.DoNotVerify), "rdlic");

    /// <summary>The data directory: <c>--data</c>, else <c>RDLIC_DATA</c>, else the per-user default; full path.</summary>
    public string ResolveDataDirectory(ParseResult parseResult)
    {
        string? data = parseResult.GetValue(DataOption);
        if (data is not null && string.IsNullOrWhiteSpace(data))
        {
            throw new CliUsageException("--data: must not be empty");
        }

        data ??= NonEmpty(Environment(DataVariable)) ?? DefaultDataDirectory();
        return Path.GetFullPath(data);
    }

    /// <summary>The server address: <c>--server</c>, else <c>RDLIC_SERVER</c>, else http://127.0.0.1:5080.</summary>
    public Uri ResolveServer(ParseResult parseResult)
    {
        string? option = parseResult.GetValue(ServerOption);
        (string text, string source) = option is not null
            ? (option, "--server")
            : NonEmpty(Environment(ServerVariable)) is { } fromEnvironment
                ? (fromEnvironment, ServerVariable)
                : (DefaultServer, "the default server");
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliUsageException($"{source}: '{text}' is not an http:// or https:// address");
        }

        return uri;
    }

    /// <summary>
    /// The API key and where it came from: <c>--token</c>, else <c>RDLIC_TOKEN</c>, else the admin.token file of the
    /// data directory (<see cref="ResolveDataDirectory"/>); null when none of them gives one.
    /// </summary>
    public (string? Key, string Source) ResolveToken(ParseResult parseResult)
    {
        string? option = parseResult.GetValue(TokenOption);
        if (option is not null)
        {
            return string.IsNullOrWhiteSpace(option) ? throw new CliUsageException("--token: must not be empty") : (option.Trim(), "--token");
        }

        if (NonEmpty(Environment(TokenVariable)) is { } fromEnvironment)
        {
            return (fromEnvironment.Trim(), TokenVariable);
        }

        string file = Path.Combine(ResolveDataDirectory(parseResult), AdminTokenFile);
        try
        {
            string key = File.ReadAllText(file).Trim();
            return key.Length > 0 ? (key, file) : (null, $"{file} (empty)");
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, $"{file} (not found)");
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return (null, $"{file} (unreadable: {ex.Message.ToLowerInvariant()})");
        }
    }

    /// <summary>
    /// Runs an API verb: resolves server and key, creates the client, and maps every failure to an exit code and a
    /// message on stderr.
    /// </summary>
    public Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken, Func<LicensingClient, Task<int>> action) =>
        RunOfflineAsync(parseResult, cancellationToken, async () =>
        {
            Uri server = ResolveServer(parseResult);
            (string? key, string source) = ResolveToken(parseResult);
            using var client = new LicensingClient(server, key);
            try
            {
                return await action(client).ConfigureAwait(false);
            }
            catch (LicensingApiException ex) when (ex.StatusCode == HttpStatusCode.Unauthorized && key is null)
            {
                await Console.Error.WriteLineAsync($"error: the server wants an api key and none was given: pass --token KEY, set {TokenVariable}, or --data DIR holding {AdminTokenFile} (looked in {source})").ConfigureAwait(false);
                return ExitCodes.Unauthorized;
            }
            catch (LicensingApiException ex) when (ex.StatusCode == HttpStatusCode.Unauthorized)
            {
                await Console.Error.WriteLineAsync($"error: the server refused the api key from {source} (401 unauthorized): {ex.Detail ?? ex.Title}").ConfigureAwait(false);
                return ExitCodes.Unauthorized;
            }
        });

    /// <summary>Runs a verb that needs no server (or manages its own): maps failures to exit codes.</summary>
    public async Task<int> RunOfflineAsync(ParseResult parseResult, CancellationToken cancellationToken, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (CliUsageException ex)
        {
            await Console.Error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (LicensingServerUnreachableException ex)
        {
            await Console.Error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.Unreachable;
        }
        catch (LicensingApiException ex)
        {
            return await ReportApiErrorAsync(parseResult, ex).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("error: interrupted").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"error: internal error: {ex.Message}").ConfigureAwait(false);
            if (!string.IsNullOrEmpty(Environment(DebugVariable)))
            {
                await Console.Error.WriteLineAsync(ex.ToString()).ConfigureAwait(false);
            }
            else
            {
                await Console.Error.WriteLineAsync($"(set {DebugVariable}=1 for details; this is a bug if your input was valid)").ConfigureAwait(false);
            }

            return ExitCodes.InternalError;
        }
    }

    /// <summary>Prints <paramref name="value"/> as indented JSON (the API's camelCase shapes) to stdout.</summary>
    public void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, s_printOptions));

    /// <summary>Prints a table; cells are plain text (never markup).</summary>
    public void WriteTable(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (string column in columns)
        {
            table.AddColumn(new TableColumn(new Text(column)));
        }

        foreach (IReadOnlyList<string?> row in rows)
        {
            table.AddRow(row.Select(cell => (IRenderable)new Text(cell ?? "")).ToArray());
        }

        Console.Tables.Write(table);
    }

    /// <summary>Prints name/value pairs, one per line, values aligned.</summary>
    public void WriteFields(IReadOnlyCollection<(string Name, string? Value)> fields)
    {
        int width = fields.Count == 0 ? 0 : fields.Max(f => f.Name.Length) + 2;
        foreach ((string name, string? value) in fields)
        {
            Console.Out.WriteLine((name + ":").PadRight(width) + (value ?? "-"));
        }
    }

    /// <summary>A timestamp as people read it: UTC, to the minute.</summary>
    public static string Format(DateTimeOffset? time) =>
        time is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", global::System.Globalization.CultureInfo.InvariantCulture) : "-";

    private async Task<int> ReportApiErrorAsync(ParseResult parseResult, LicensingApiException ex)
    {
        TextWriter error = Console.Error;
        int status = (int)ex.StatusCode;
        if (LicensingClient.TryGetRevocationRefusal(ex) is { } refusal)
        {
            string next = refusal.NextRevokeAllowedOn is { } on
                ? $"the next revocation is allowed on {Format(on)} ({on.ToUniversalTime():O})"
                : "no date is known for the next revocation";
            await error.WriteLineAsync(
                $"error: revocation refused: {refusal.RevokedCount} of {refusal.InstalledCount} installed per-device CALs are revoked, "
                + $"{refusal.RevocableCals} revocable now (at most 20% of a version's per-device CALs, at least 1, at once); {next}").ConfigureAwait(false);
            if (ex.Detail is { Length: > 0 } detail)
            {
                await error.WriteLineAsync("  " + detail).ConfigureAwait(false);
            }

            return ExitCodes.Refused;
        }

        string what = (ex.Title, ex.Detail) switch
        {
            ({ } title, { } detail) when !string.Equals(title, detail, StringComparison.Ordinal) => $"{title}: {detail}",
            (_, { } detail) => detail,
            ({ } title, null) => title,
            _ => ex.StatusCode.ToString(),
        };
        await error.WriteLineAsync($"error: {what} ({status} from {ex.Method} {ex.RequestUri.AbsolutePath})").ConfigureAwait(false);
        foreach ((string field, IReadOnlyList<string> messages) in ex.Errors)
        {
            string name = OptionNameFor(parseResult, field);
            foreach (string message in messages)
            {
                await error.WriteLineAsync($"  {name}: {message}").ConfigureAwait(false);
            }
        }

        return status switch
        {
            400 or 422 or 409 => ExitCodes.Rejected,
            401 or 403 => ExitCodes.Unauthorized,
            404 => ExitCodes.NotFound,
            _ => ExitCodes.InternalError,
        };
    }

    // A server field ("quantity", "firstName") named as the option of this verb that carries it ("--quantity", "--first-name").
    private static string OptionNameFor(ParseResult parseResult, string field)
    {
        string kebab = string.Concat(field.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));
        string candidate = "--" + kebab.TrimStart('$', '.');
        return parseResult.CommandResult.Command.Options.Any(o => o.Name == candidate || o.Aliases.Contains(candidate)) ? candidate : field;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
