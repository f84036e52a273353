using System.Security.Cryptography.X509Certificates;
using RdLicensing.Domain;
using RdLicensing.Server.Certificates;
using RdLicensing.Storage;

namespace RdLicensing.Server.Licensing;

/// <summary>A decided CAL request and, when the decision hands out a CAL, the signed CAL bytes.</summary>
/// <param name="Decision">What the licensing rules decided.</param>
/// <param name="Cal">The CAL as PKCS#7 bytes when <see cref="LicenseDecision.CarriesCal"/>; otherwise null.</param>
public sealed record LicenseGrant(LicenseDecision Decision, byte[]? Cal);

/// <summary>
/// The license server's operations: each is one durable store transaction around <see cref="LicensingEngine"/>,
/// committed before the method returns. The REST API calls it, and so does an in-process session host (the same
/// decisions as POST /api/licenses/request).
/// </summary>
public sealed class LicensingService
{
    private readonly ILicenseStore _store;
    private readonly LicensingEngine _engine;
    private readonly DeploymentCertificates _certificates;
    private readonly ICalSigner _signer;

    public LicensingService(ILicenseStore store, LicensingEngine engine, DeploymentCertificates certificates, ICalSigner signer)
    {
        _store = store;
        _engine = engine;
        _certificates = certificates;
        _signer = signer;
    }

    public ILicenseStore Store => _store;

    public DateTimeOffset Now => _engine.Now;

    /// <summary>
    /// Decides a CAL request for a connecting client. <paramref name="hostName"/> is the authenticated session host
    /// (recorded as the CAL's host). The decision is one durable transaction; the CAL is signed after it commits, outside
    /// the store's serialized write, so signatures (the costliest part of a request) run in parallel. The CAL's bytes are
    /// not stored: they follow from the committed row and the issuer key (PKCS#1 v1.5 signatures are deterministic), and
    /// the issuer certificate is read inside the transaction, so the CAL is signed by the key that was current when the
    /// decision was made. The work only decides and reads (the issuer certificate is loaded once and then remembered), so it
    /// is repeatable: a store may decide it ahead of its lock and again under it (<see cref="LedgerReads.Repeatable"/>).
    /// </summary>
    public async Task<LicenseGrant> RequestAsync(CalRequest request, string? hostName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        (LicenseDecision decision, Task<byte[]>? signing) = await _store.WriteAsync<(LicenseDecision, Task<byte[]>?)>(
            session =>
            {
                LicenseDecision decision = _engine.Request(session, request, hostName);
                if (!decision.CarriesCal || decision.License is not { } license)
                {
                    return (decision, null);
                }

                LicenseServer server = LicensingEngine.GetServer(session);
                X509Certificate2 issuer = _certificates.SigningCertificate(server, session);

                // The CAL is signed on the thread pool while the store commits and makes the commit durable (a store
                // answers only then): the signature is the largest CPU cost of a request and needs nothing but the
                // decision. A signature whose unit fails, or is decided again (decision 0106), is never used.
                return (decision, Task.Run(() => _signer.Sign(license, server, issuer), CancellationToken.None));
            },
            _engine.ReadsOf(request) with { Repeatable = true },
            cancellationToken).ConfigureAwait(false);
        byte[]? cal = signing is null ? null : await signing.ConfigureAwait(false);
        return new LicenseGrant(decision, cal);
    }

    /// <summary>Marks a temporary per-device CAL validated after a successful logon.</summary>
    public Task<IssuedLicense> ValidateAsync(string licenseId, CancellationToken cancellationToken) =>
        _store.WriteAsync(session => _engine.Validate(session, licenseId), _engine.ReadsOfValidate(licenseId) with { Repeatable = true }, cancellationToken);

    /// <summary>Revokes a permanent per-device CAL, or reports the 20 % rule's refusal (event 81 recorded).</summary>
    public Task<RevocationResult> RevokeAsync(string licenseId, CancellationToken cancellationToken) =>
        _store.WriteAsync(session => _engine.Revoke(session, licenseId), cancellationToken);

    public Task<LicenseServer> GetServerAsync(CancellationToken cancellationToken) =>
        _store.ReadAsync(LicensingEngine.GetServer, cancellationToken);

    /// <summary>Activates the server and gives it a signing certificate from the deployment CA, in one transaction.</summary>
    public async Task<LicenseServer> ActivateAsync(ActivationMethod method, Contact contact, CancellationToken cancellationToken)
    {
        LicenseServer before = await GetServerAsync(cancellationToken).ConfigureAwait(false);
        StoredCertificate certificate = await _certificates.IssueLicenseServerCertificateAsync(before, cancellationToken).ConfigureAwait(false);
        return await _store.WriteAsync(
            session =>
            {
                LicenseServer server = _engine.Activate(session, method, contact);
                session.SaveCertificate(certificate);
                server.SetCertificateThumbprint(certificate.Thumbprint);
                session.SaveServer(server);
                return server;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public Task<LicenseServer> DeactivateAsync(ActivationMethod method, string? confirmationCode, CancellationToken cancellationToken) =>
        _store.WriteAsync(session => _engine.Deactivate(session, method, confirmationCode), cancellationToken);

    public Task<LicenseServer> ChangeSettingsAsync(DiscoveryScope? scope, bool? preventLicenseUpgrade, string? name, ProductVersion? version, CancellationToken cancellationToken) =>
        _store.WriteAsync(session => _engine.ChangeSettings(session, scope, preventLicenseUpgrade, name, version), cancellationToken);

    public Task<KeyPack> InstallKeyPackAsync(KeyPackCode code, ProductVersion version, CalType type, int quantity, DateTimeOffset? expiresOn, CancellationToken cancellationToken) =>
        _store.WriteAsync(session => _engine.InstallKeyPack(session, code, version, type, quantity, expiresOn), cancellationToken);

    public Task<bool> RemoveKeyPackAsync(string keyPackId, CancellationToken cancellationToken) =>
        _store.WriteAsync(
            session =>
            {
                _engine.RemoveKeyPack(session, keyPackId);
                return true;
            },
            cancellationToken);

    public async Task<IReadOnlyList<KeyPack>> KeyPacksAsync(CancellationToken cancellationToken)
    {
        await SweepIfDueAsync(cancellationToken).ConfigureAwait(false);
        return await _store.ReadAsync(s => s.KeyPacks(), cancellationToken).ConfigureAwait(false);
    }

    public async Task<KeyPack?> FindKeyPackAsync(string keyPackId, CancellationToken cancellationToken)
    {
        await SweepIfDueAsync(cancellationToken).ConfigureAwait(false);
        return await _store.ReadAsync(s => s.FindKeyPack(keyPackId), cancellationToken).ConfigureAwait(false);
    }

    public async Task<LicensePage> LicensesAsync(LicenseQuery query, CancellationToken cancellationToken)
    {
        await SweepIfDueAsync(cancellationToken).ConfigureAwait(false);
        return await _store.ReadAsync(s => s.QueryLicenses(query), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IssuedLicense?> FindLicenseAsync(string licenseId, CancellationToken cancellationToken)
    {
        await SweepIfDueAsync(cancellationToken).ConfigureAwait(false);
        return await _store.ReadAsync(s => s.FindLicense(licenseId), cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<StoredEvent>> EventsAsync(long after, int take, CancellationToken cancellationToken) =>
        _store.ReadAsync(s => s.Events(after, take), cancellationToken);

    /// <summary>Returns expired CALs to their pools when any are due (one transaction); the number swept.</summary>
    public async Task<int> SweepIfDueAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = _engine.Now;
        int due = await _store.ReadAsync(s => s.CountLicensesExpiredAt(now), cancellationToken).ConfigureAwait(false);
        return due == 0 ? 0 : await _store.WriteAsync(session => _engine.SweepExpired(session), cancellationToken).ConfigureAwait(false);
    }
}
