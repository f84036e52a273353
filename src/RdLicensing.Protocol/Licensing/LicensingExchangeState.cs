namespace RdLicensing.Protocol.Licensing;

/// <summary>The states of <see cref="LicensingServerExchange"/> ([MS-RDPELE] 3.2.5 / 3.3.5, server side).</summary>
public enum LicensingExchangeState
{
    /// <summary>Nothing sent yet: call <see cref="LicensingServerExchange.Start"/>.</summary>
    NotStarted,

    /// <summary>SERVER_LICENSE_REQUEST sent; waiting for CLIENT_NEW_LICENSE_REQUEST or CLIENT_LICENSE_INFO.</summary>
    AwaitingClientRequest,

    /// <summary>SERVER_PLATFORM_CHALLENGE sent; waiting for CLIENT_PLATFORM_CHALLENGE_RESPONSE.</summary>
    AwaitingPlatformChallengeResponse,

    /// <summary>
    /// The client is known (HWID verified); the driver must answer <see cref="LicensingServerExchange.PendingDecision"/>
    /// with <see cref="LicensingServerExchange.Decide"/>.
    /// </summary>
    AwaitingDecision,

    /// <summary>Terminal: licensing succeeded (NEW_LICENSE, UPGRADE_LICENSE or STATUS_VALID_CLIENT sent).</summary>
    Completed,

    /// <summary>Terminal: the driver refused the client; the licensing error was sent.</summary>
    Refused,

    /// <summary>Terminal: the exchange broke (bad MAC, malformed or unexpected message, client abort).</summary>
    Failed,
}
