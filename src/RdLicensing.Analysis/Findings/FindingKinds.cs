namespace RdLicensing.Analysis.Findings;

/// <summary>
/// The kinds of finding the issued-license analysis reports (docs/reports.md), with the cause and the resolution that
/// seed 002 ("Multiple per device RDS CALs are issued to the same device") gives for each.
/// </summary>
public static class FindingKinds
{
    /// <summary>One hardware id holding CALs under two or more computer names.</summary>
    public const string SharedHardwareId = "shared-hardware-id";

    /// <summary>One computer name receiving CALs under many hardware ids over time.</summary>
    public const string HardwareIdChurn = "hardware-id-churn";

    /// <summary>One computer name whose older CAL stopped renewing when a newer hardware id appeared.</summary>
    public const string RebuiltDevice = "rebuilt-device";

    /// <summary>Two or more hardware ids under one computer name, all still renewing.</summary>
    public const string DuplicateComputerName = "duplicate-computer-name";

    /// <summary>Available per-device CALs of a product version reach zero at the recent issuance rate.</summary>
    public const string Exhaustion = "exhaustion";

    /// <summary>All kinds, in the order findings are listed.</summary>
    public static IReadOnlyList<string> All { get; } = [Exhaustion, SharedHardwareId, HardwareIdChurn, RebuiltDevice, DuplicateComputerName];

    /// <summary>The cause, as seed 002 numbers it.</summary>
    public static string CauseOf(string kind) => kind switch
    {
        SharedHardwareId => "machines built from one image that carries the hardware id of the original machine (seed 002, cause 1a)",
        HardwareIdChurn => "a non-persistent or provisioned machine that loses its hardware id at each reboot, or a script that deletes the MSLicensing key (seed 002, causes 1b and 2)",
        RebuiltDevice => "the machine was rebuilt, or its license store was corrupted and a new hardware id generated (seed 002, causes 4 and 5)",
        DuplicateComputerName => "different machines that use one computer name (seed 002, cause 3)",
        Exhaustion => "per-device CALs of this product version are being used up (seed 003)",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>What to do, drawn from seed 002's resolutions.</summary>
    public static string ResolutionOf(string kind) => kind switch
    {
        SharedHardwareId =>
            "Fix the image: rebuild it with sysprep so that it holds no MSLicensing key of the original machine, then on each "
            + @"machine already deployed delete HKLM\SOFTWARE\Microsoft\MSLicensing\HardwareID and HKLM\SOFTWARE\Microsoft\MSLicensing\Store "
            + "(the next remote session run as an administrator regenerates them). Until then every connection from another "
            + "machine of the image is issued a new CAL. Revoke the CALs no machine still holds (within the 20% limit).",
        HardwareIdChurn =>
            "For non-persistent or provisioned machines (e.g. booted from a shared image, changes lost at reboot) use per-user "
            + "licensing: per-device CALs are consumed anew after each reboot. If a script deletes the MSLicensing key at "
            + "shutdown, remove the script. CALs of the lost hardware ids are never renewed: they return to the pool on their "
            + "expiry date, or revoke them now (within the 20% limit).",
        RebuiltDevice =>
            "The CAL of the old hardware id is no longer renewed: it returns to the pool on its expiry date (52 to 89 days after "
            + "its last issue or renewal), or revoke it now (within the 20% limit). If the client still holds several hardware "
            + @"ids under HKLM\SOFTWARE\Microsoft\MSLicensing (see rdlic client store inspect), delete the HardwareID key whose "
            + "ClientHWID matches the hardware id of the CAL that is not the most recent.",
        DuplicateComputerName =>
            "Nothing is wasted: these are different machines, each with its own hardware id and its own CAL, that share one "
            + "computer name (often clones made by a tool that did not reset the name). Give them unique names so that the "
            + "issued-CAL list stops looking like one device holding several CALs; do not revoke their CALs.",
        Exhaustion =>
            "Free the CALs the other findings list as wasted (revoke them within the 20% limit and fix their causes), or install "
            + "more per-device CALs of this product version before they run out. Switching session hosts to per-user mode just "
            + "to let sessions in is a breach of the licensing agreement.",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
