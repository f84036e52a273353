namespace RdLicensing.Protocol.Licensing;

/// <summary>Why a <see cref="LicensingServerExchange"/> reached its terminal state.</summary>
public enum LicensingExchangeOutcome
{
    /// <summary>Not finished yet.</summary>
    None,

    /// <summary>SERVER_NEW_LICENSE sent.</summary>
    NewLicenseIssued,

    /// <summary>SERVER_UPGRADE_LICENSE sent.</summary>
    LicenseUpgraded,

    /// <summary>STATUS_VALID_CLIENT sent.</summary>
    ValidClient,

    /// <summary>The driver's licensing error was sent.</summary>
    Refused,

    /// <summary>A MAC did not verify; ERR_INVALID_MAC with ST_TOTAL_ABORT sent.</summary>
    InvalidMac,

    /// <summary>The platform challenge response did not echo the challenge; ERR_INVALID_CLIENT with ST_TOTAL_ABORT sent.</summary>
    ChallengeMismatch,

    /// <summary>A client PDU did not decode; ERR_INVALID_MESSAGE_LEN with ST_TOTAL_ABORT sent.</summary>
    MalformedMessage,

    /// <summary>A client PDU arrived that is not valid in the current state; ERR_INVALID_CLIENT with ST_TOTAL_ABORT sent.</summary>
    UnexpectedMessage,

    /// <summary>The client sent a licensing error that aborts; nothing sent.</summary>
    ClientAborted,
}
