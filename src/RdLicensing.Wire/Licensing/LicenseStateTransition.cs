namespace RdLicensing.Wire.Licensing;

/// <summary>
/// The dwStateTransition values of [MS-RDPBCGR] 2.2.1.12.1.3 Licensing Error Message (LICENSE_ERROR_MESSAGE);
/// their meaning is in [MS-RDPELE] 3.1.5.2. Decoding keeps values that are not listed here.
/// </summary>
public enum LicenseStateTransition : uint
{
    /// <summary>ST_TOTAL_ABORT: end the connection.</summary>
    StTotalAbort = 0x00000001,

    /// <summary>ST_NO_TRANSITION: carry on (used with STATUS_VALID_CLIENT).</summary>
    StNoTransition = 0x00000002,

    /// <summary>ST_RESET_PHASE_TO_START: restart licensing.</summary>
    StResetPhaseToStart = 0x00000003,

    /// <summary>ST_RESEND_LAST_MESSAGE: resend the last message.</summary>
    StResendLastMessage = 0x00000004,
}
