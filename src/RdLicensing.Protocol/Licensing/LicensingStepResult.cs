namespace RdLicensing.Protocol.Licensing;

/// <summary>
/// What one call into <see cref="LicensingServerExchange"/> did: how many bytes it wrote to the output (0 or one
/// licensing PDU: preamble and message, for the driver to send after a SEC_LICENSE_PKT security header) and the
/// state it is in now.
/// </summary>
public readonly record struct LicensingStepResult(int BytesWritten, LicensingExchangeState State)
{
    /// <summary>The driver must now call <see cref="LicensingServerExchange.Decide"/>.</summary>
    public bool NeedsDecision => State == LicensingExchangeState.AwaitingDecision;

    /// <summary>The exchange is over (Completed, Refused or Failed): send what was written, then stop.</summary>
    public bool IsFinished => State is LicensingExchangeState.Completed or LicensingExchangeState.Refused or LicensingExchangeState.Failed;
}
