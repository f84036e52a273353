using RdLicensing.Domain;

namespace RdLicensing.Storage;

/// <summary>
/// Where the license server keeps its state. The contract every implementation (SQLite now, PostgreSQL later) keeps:
/// <list type="bullet">
/// <item><see cref="WriteAsync{T}"/> runs its work in one transaction and returns only after the commit is durable; if the
/// work throws, nothing it wrote is kept. Write units are serialized (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction
/// lock), so a decision read-then-written inside one unit cannot race another node or thread.</item>
/// <item>INVARIANT: for every per-device key pack, issued = the number of its CALs in status temporary or permanent
/// (so issued + available = total) after every commit, hence after any crash.</item>
/// <item><see cref="InitializeAsync"/> creates or migrates the schema; it is safe to call from several nodes at once.</item>
/// </list>
/// The interface carries no provider types: stores are chosen by name (<see cref="LicenseStores"/>).
/// </summary>
public interface ILicenseStore : IAsyncDisposable
{
    /// <summary>"sqlite" or "postgres".</summary>
    string Kind { get; }

    /// <summary>Creates the schema or applies the migrations it lacks.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> in one serialized, durable transaction and returns its result.</summary>
    Task<T> WriteAsync<T>(Func<ILicenseSession, T> work, CancellationToken cancellationToken) => WriteAsync(work, null, cancellationToken);

    /// <summary>
    /// As <see cref="WriteAsync{T}(Func{ILicenseSession, T}, CancellationToken)"/>, told the reads the work makes first
    /// (<paramref name="reads"/>, a hint): a store whose reads are round trips fetches them together with its lock. With
    /// <see cref="LedgerReads.Repeatable"/> the store may also run the work more than once (PostgreSQL decides it ahead of
    /// its lock and commits only if what it read is unchanged, decision 0106); what commits is still one run's writes.
    /// </summary>
    Task<T> WriteAsync<T>(Func<ILicenseSession, T> work, LedgerReads? reads, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> over one consistent snapshot. It must not write: its writes are rolled back.</summary>
    Task<T> ReadAsync<T>(Func<ILicenseSession, T> work, CancellationToken cancellationToken);
}

/// <summary>One open transaction of an <see cref="ILicenseStore"/>: the domain ledger plus what the edge keeps.</summary>
public interface ILicenseSession : ILicensingLedger
{
    /// <summary>CALs matching <paramref name="query"/>, newest first, and how many match in all.</summary>
    LicensePage QueryLicenses(LicenseQuery query);

    /// <summary>Events with a sequence number greater than <paramref name="after"/>, oldest first.</summary>
    IReadOnlyList<StoredEvent> Events(long after, int take);

    /// <summary>Number of temporary or permanent CALs whose expiry is at or before <paramref name="now"/>.</summary>
    int CountLicensesExpiredAt(DateTimeOffset now);

    /// <summary>Per key pack: the stored counter and the number of its CAL rows in status temporary or permanent.</summary>
    IReadOnlyList<KeyPackConsistency> CheckConsistency();

    IReadOnlyList<ApiKeyRecord> ApiKeys();

    ApiKeyRecord? FindApiKeyByHash(string keyHash);

    /// <summary>Adds a key; false when a key with that name exists.</summary>
    bool AddApiKey(ApiKeyRecord key);

    /// <summary>Removes the named key; false when there is none.</summary>
    bool RemoveApiKey(string name);

    void TouchApiKey(string name, DateTimeOffset seenOn);

    StoredCertificate? FindCertificate(string name);

    IReadOnlyList<StoredCertificate> Certificates();

    /// <summary>Stores the certificate unless one with that name exists; true when stored.</summary>
    bool AddCertificateIfAbsent(StoredCertificate certificate);

    /// <summary>Inserts or replaces the named certificate.</summary>
    void SaveCertificate(StoredCertificate certificate);
}

/// <summary>Filters of GET /api/licenses. Null means "any".</summary>
public sealed record LicenseQuery(
    LicenseStatus? Status = null,
    CalType? Type = null,
    ProductVersion? Version = null,
    string? Machine = null,
    string? User = null,
    HardwareId? Hwid = null,
    string? KeyPackId = null,
    string? Search = null,
    int Skip = 0,
    int Take = 100);

public sealed record LicensePage(IReadOnlyList<IssuedLicense> Items, int Total);

public sealed record StoredEvent(long Sequence, LicensingEvent Event);

/// <summary>The counter of one key pack next to the rows that should explain it.</summary>
public sealed record KeyPackConsistency(string KeyPackId, CalType Type, int Total, int Issued, int ActiveRows)
{
    /// <summary>The stored counter equals the CAL rows (per device this is issued + available = total).</summary>
    public bool Agrees => Issued == ActiveRows && (Type == CalType.PerUser || Issued <= Total);
}

/// <summary>An API key: only the SHA-256 hash of the key is stored. Role: "admin", "auditor" or "host".</summary>
public sealed record ApiKeyRecord(string Name, string Role, string KeyHash, DateTimeOffset CreatedOn, DateTimeOffset? LastSeenOn);

/// <summary>A certificate the deployment keeps (deployment CA, issuers); <paramref name="Pkcs12"/> holds the private key.</summary>
public sealed record StoredCertificate(string Name, byte[] Pkcs12, string Thumbprint, DateTimeOffset CreatedOn);
