using System.Buffers.Binary;

namespace RdLicensing.Registry.Host;

/// <summary>
/// The session host's licensing grace period: 120 days from the host's first start (our host: its first start or first
/// client connection, whichever comes first) during which it admits clients without a license server.
/// </summary>
/// <remarks>
/// Stored as Windows stores it: <see cref="HostRegistryKeys.GracePeriod"/> value <see cref="HostRegistryKeys.GracePeriodValue"/>,
/// REG_BINARY, 8 bytes, a little-endian FILETIME. Public sources do not say whether the stamp is the start or the end
/// (rds-facts.md section 3); the one source that describes it calls it the date the product "stops working", and a
/// single stamp that is the end also expresses an early end (the host reached a license server with installed licenses)
/// without a second value. So we read and write it as the grace period's end. Days left follow WMI GetGracePeriodDays:
/// whole days, a started day counts as a day, and 0 means the grace period is over.
/// </remarks>
public static class GracePeriod
{
    /// <summary>The grace period's length in days.</summary>
    public const int Days = 120;

    /// <summary>The grace period's length.</summary>
    public static TimeSpan Length { get; } = TimeSpan.FromDays(Days);

    /// <summary>The FILETIME value for a moment (100 ns ticks since 1601-01-01 UTC, 8 bytes little-endian).</summary>
    public static RegistryValue ToValue(DateTimeOffset moment)
    {
        Span<byte> data = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(data, moment.UtcDateTime.ToFileTimeUtc());
        return RegistryValue.FromBinary(data);
    }

    /// <summary>The moment in an 8-byte FILETIME value; false for another size, type or an out-of-range number.</summary>
    public static bool TryReadValue(RegistryValue value, out DateTimeOffset moment)
    {
        ArgumentNullException.ThrowIfNull(value);
        moment = default;
        if (value.Type != RegistryValueType.Binary || value.Data.Length != 8)
        {
            return false;
        }

        long fileTime = BinaryPrimitives.ReadInt64LittleEndian(value.Data);
        if (fileTime < 0 || fileTime > DateTime.MaxValue.ToFileTimeUtc())
        {
            return false;
        }

        moment = new DateTimeOffset(DateTime.FromFileTimeUtc(fileTime), TimeSpan.Zero);
        return true;
    }

    /// <summary>
    /// Whole days left as GetGracePeriodDays reports them: 0 when the end has passed, a started day counts as one,
    /// <see cref="Days"/> when the grace period has not started (no stamp yet).
    /// </summary>
    public static int DaysLeft(DateTimeOffset? end, DateTimeOffset now)
    {
        if (end is null)
        {
            return Days;
        }

        TimeSpan left = end.Value - now;
        if (left <= TimeSpan.Zero)
        {
            return 0;
        }

        return (int)Math.Min(int.MaxValue, Math.Ceiling(left.TotalDays));
    }
}

/// <summary>The grace period as the diagnoser and <c>rdlic host grace</c> see it.</summary>
/// <param name="End">The end, or null when the grace period has not started.</param>
/// <param name="DaysLeft">Whole days left (0 when over).</param>
public sealed record GraceState(DateTimeOffset? End, int DaysLeft)
{
    /// <summary>True once a stamp exists.</summary>
    public bool Started => End is not null;

    /// <summary>True when the grace period is over.</summary>
    public bool Expired => DaysLeft == 0;

    /// <summary>The state at <paramref name="now"/> for a stored end.</summary>
    public static GraceState At(DateTimeOffset? end, DateTimeOffset now) => new(end, GracePeriod.DaysLeft(end, now));
}
