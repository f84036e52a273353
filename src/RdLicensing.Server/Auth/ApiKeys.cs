using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using RdLicensing.Domain;
using RdLicensing.Storage;

namespace RdLicensing.Server.Auth;

/// <summary>The roles of docs/api.md: admin (everything), auditor (reads), host (a session host obtaining CALs).</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Auditor = "auditor";
    public const string Host = "host";

    public static IReadOnlyList<string> All { get; } = [Admin, Auditor, Host];
}

/// <summary>
/// API keys: created with 256 random bits, shown once, stored only as their SHA-256 hash (keys are random, so a plain
/// hash suffices). Last use is written at most once a minute per key. A key that was found stays known to this node for
/// <see cref="CacheLifetime"/> (a session host asks for a CAL per connecting client; reading its key's row for every
/// request costs a store round trip each): removing a key takes effect at once on the node that removed it and within
/// that lifetime on the other nodes of a PostgreSQL deployment. Unknown keys are never cached.
/// </summary>
public sealed class ApiKeys
{
    public const int MaxNameLength = 64;
    private const string KeyPrefix = "rdl_";
    private static readonly TimeSpan s_touchInterval = TimeSpan.FromMinutes(1);

    /// <summary>How long a node trusts a key it found without reading the store again.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(5);

    private readonly ILicenseStore _store;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastTouched = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (ApiKeyRecord Record, DateTimeOffset FoundOn)> _found = new(StringComparer.Ordinal);
    private long _removals;

    public ApiKeys(ILicenseStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    public static string NewKey() => KeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Validates a key name (letters, digits, '.', '_', '-'; 1–64); throws naming field "name".</summary>
    public static string ValidName(string? name)
    {
        string trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > MaxNameLength || trimmed.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
        {
            throw LicensingException.Invalid("name", $"a key name is 1 to {MaxNameLength} letters, digits, '.', '_' or '-', got '{name}'");
        }

        return trimmed;
    }

    /// <summary>The stored key for a presented key, or null.</summary>
    public async Task<ApiKeyRecord?> FindAsync(string key, CancellationToken cancellationToken)
    {
        string hash = Hash(key);
        DateTimeOffset now = _time.GetUtcNow();
        if (_found.TryGetValue(hash, out (ApiKeyRecord Record, DateTimeOffset FoundOn) known) && now - known.FoundOn < CacheLifetime && now >= known.FoundOn)
        {
            return known.Record;
        }

        long generation = Volatile.Read(ref _removals);
        ApiKeyRecord? record = await _store.ReadAsync(s => s.FindApiKeyByHash(hash), cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            _found.TryRemove(hash, out _);
        }
        else
        {
            // A removal that ran while the store was read may have read-then-removed this key: do not cache that answer.
            if (Volatile.Read(ref _removals) == generation)
            {
                _found[hash] = (record, now);
            }

            DateTimeOffset last = _lastTouched.GetValueOrDefault(record.Name, DateTimeOffset.MinValue);
            if (now - last >= s_touchInterval)
            {
                _lastTouched[record.Name] = now;
                await _store.WriteAsync(
                    s =>
                    {
                        s.TouchApiKey(record.Name, now);
                        return true;
                    },
                    cancellationToken).ConfigureAwait(false);
            }
        }

        return record;
    }

    /// <summary>Creates a key; returns the key text (shown once). Throws a conflict when the name is taken.</summary>
    public async Task<(ApiKeyRecord Record, string Key)> CreateAsync(string name, string role, CancellationToken cancellationToken)
    {
        string validName = ValidName(name);
        string validRole = Roles.All.FirstOrDefault(r => string.Equals(r, role?.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw LicensingException.Invalid("role", $"role must be admin, auditor or host, got '{role}'");
        string key = NewKey();
        var record = new ApiKeyRecord(validName, validRole, Hash(key), _time.GetUtcNow(), null);
        bool added = await _store.WriteAsync(s => s.AddApiKey(record), cancellationToken).ConfigureAwait(false);
        return added ? (record, key) : throw LicensingException.Conflict("name", $"a key named '{validName}' exists");
    }

    /// <summary>Removes a key; refuses to remove the last admin key. <paramref name="role"/> restricts which role may be removed.</summary>
    public async Task RemoveAsync(string name, string? role, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _removals);
        await _store.WriteAsync(
            s =>
            {
                IReadOnlyList<ApiKeyRecord> keys = s.ApiKeys();
                ApiKeyRecord record = keys.FirstOrDefault(k => k.Name == name && (role is null || k.Role == role))
                    ?? throw LicensingException.NotFound("name", $"no {role ?? "api"} key named '{name}'");
                if (record.Role == Roles.Admin && keys.Count(k => k.Role == Roles.Admin) == 1)
                {
                    throw LicensingException.Conflict("name", "the last admin key cannot be removed");
                }

                bool removed = s.RemoveApiKey(record.Name);
                _found.TryRemove(record.KeyHash, out _);
                return removed;
            },
            cancellationToken).ConfigureAwait(false);

        // After the commit too, and every lookup that overlapped the removal declines to cache (the generation moved).
        Interlocked.Increment(ref _removals);
        foreach (string hash in _found.Where(e => e.Value.Record.Name == name).Select(e => e.Key).ToList())
        {
            _found.TryRemove(hash, out _);
        }
    }

    public Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken) =>
        _store.ReadAsync(s => s.ApiKeys(), cancellationToken);

    /// <summary>
    /// On first start: creates the admin key, stores its hash and writes the key to &lt;data&gt;/admin.token (mode 0600).
    /// The file is written before the commit: if the commit fails, the next start makes a new key and overwrites it.
    /// Returns false when an admin key already exists.
    /// </summary>
    public Task<bool> EnsureAdminKeyAsync(string dataDirectory, CancellationToken cancellationToken) =>
        _store.WriteAsync(
            s =>
            {
                if (s.ApiKeys().Any(k => k.Role == Roles.Admin))
                {
                    return false;
                }

                string key = NewKey();
                AdminToken.Write(dataDirectory, key);
                return s.AddApiKey(new ApiKeyRecord("admin", Roles.Admin, Hash(key), _time.GetUtcNow(), null));
            },
            cancellationToken);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>The admin.token file in the data directory.</summary>
public static class AdminToken
{
    public const string FileName = "admin.token";

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <summary>Writes the key atomically (temporary file, then rename) with Unix mode 0600.</summary>
    public static void Write(string dataDirectory, string key)
    {
        string path = PathIn(dataDirectory);
        string temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
        {
            writer.Write(key);
            writer.Write('\n');
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
