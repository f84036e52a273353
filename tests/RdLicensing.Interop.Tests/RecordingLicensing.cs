using System.Collections.Concurrent;
using RdLicensing.Server.SessionHost;

namespace RdLicensing.Interop.Tests;

/// <summary>
/// A test-side licensing decision maker: records every request and answers with the decision function given
/// (a new CAL of known bytes for a new client, STATUS_VALID_CLIENT for a presented CAL, by default).
/// </summary>
internal sealed class RecordingLicensing : ISessionHostLicensing
{
    private readonly Func<LicenseDecisionRequest, LicenseDecision> _decide;
    private readonly ConcurrentQueue<(LicenseDecisionRequest Request, LicenseDecision Decision)> _log = new();

    public RecordingLicensing(Func<LicenseDecisionRequest, LicenseDecision> decide) => _decide = decide;

    public IReadOnlyList<(LicenseDecisionRequest Request, LicenseDecision Decision)> Log => [.. _log];

    public Task<LicenseDecision> DecideAsync(LicenseDecisionRequest request, CancellationToken cancellationToken)
    {
        LicenseDecision decision = _decide(request);
        _log.Enqueue((request, decision));
        return Task.FromResult(decision);
    }
}
