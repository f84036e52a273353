using System.Text.Json;
using RdLicensing.Domain;
using RdLicensing.Storage;

namespace RdLicensing.Server.SessionHost.Licensing;

/// <summary>Where a session host records its events (Windows ids of RemoteConnectionManager, rds-facts.md section 6).</summary>
public interface IHostEventLog
{
    Task WriteAsync(LicensingEvent licensingEvent, CancellationToken cancellationToken);
}

/// <summary>An in-process host records into the license server's event store (GET /api/events, <c>rdlic events</c>).</summary>
public sealed class StoreHostEventLog : IHostEventLog
{
    private readonly ILicenseStore _store;

    public StoreHostEventLog(ILicenseStore store) => _store = store ?? throw new ArgumentNullException(nameof(store));

    public Task WriteAsync(LicensingEvent licensingEvent, CancellationToken cancellationToken) =>
        _store.WriteAsync(
            session =>
            {
                session.AddEvent(licensingEvent);
                return true;
            },
            cancellationToken);
}

/// <summary>
/// A host-only session host records into <c>&lt;data&gt;/session-host-events.jsonl</c>: one JSON object per line
/// (time, eventId, source, level, message, licenseId, host), appended.
/// </summary>
public sealed class FileHostEventLog : IHostEventLog
{
    /// <summary>The file's name in the host's data directory.</summary>
    public const string FileName = "session-host-events.jsonl";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SemaphoreSlim _lock = new(1, 1);

    public FileHostEventLog(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        FilePath = Path.Combine(dataDirectory, FileName);
    }

    public string FilePath { get; }

    public async Task WriteAsync(LicensingEvent licensingEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(licensingEvent);
        string line = JsonSerializer.Serialize(
            new
            {
                time = licensingEvent.Time,
                eventId = licensingEvent.EventId,
                source = licensingEvent.Source,
                level = licensingEvent.Level.ToString().ToLowerInvariant(),
                message = licensingEvent.Message,
                licenseId = licensingEvent.LicenseId,
                host = licensingEvent.Host,
            },
            Json);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            await File.AppendAllTextAsync(FilePath, line + "\n", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>The events in a log file, oldest first (for tests and <c>rdlic</c> tools).</summary>
    public static IReadOnlyList<(int EventId, string Message)> Read(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        var events = new List<(int, string)>();
        foreach (string line in File.ReadLines(path))
        {
            if (line.Length == 0)
            {
                continue;
            }

            using JsonDocument document = JsonDocument.Parse(line);
            events.Add((document.RootElement.GetProperty("eventId").GetInt32(), document.RootElement.GetProperty("message").GetString() ?? ""));
        }

        return events;
    }
}
