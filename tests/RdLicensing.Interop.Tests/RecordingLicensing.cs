using System.Collections.Concurrent;
using RdLicensing.Protocol.Licensing;
using RdLicensing.Server.SessionHost;

namespace RdLicensing.Interop.Tests;

/// <summary>
/// A test-side licensing decision maker: records every request and answers with the decision function given
/// (a new CAL of known bytes for a new client, STATUS_VALID_CLIENT for a presented CAL, by default).
/// </summary>
internal sealed class RecordingLicensing : ISessionHostLicensing
{
    private readonly Func<SessionLicenseRequest, LicenseDecision> _decide;
    private readonly ConcurrentQueue<(SessionLicenseRequest Request, LicenseDecision Decision)> _log = new();

    public RecordingLicensing(Func<SessionLicenseRequest, LicenseDecision> decide) => _decide = decide;

    public IReadOnlyList<(SessionLicenseRequest Request, LicenseDecision Decision)> Log => [.. _log];

    public Task<LicenseDecision> DecideAsync(SessionLicenseRequest request, CancellationToken cancellationToken)
    {
        LicenseDecision decision = _decide(request);
        _log.Enqueue((request, decision));
        return Task.FromResult(decision);
    }
}
