using System.Buffers.Binary;

namespace RdLicensing.Domain;

/// <summary>
/// A client hardware id: [MS-RDPELE] 2.2.2.3.1 CLIENT_HARDWARE_ID — PlatformId (u32, little-endian) followed by
/// 16 bytes (Data1..Data4). Text form: 40 hex digits of the 20 wire bytes, upper case.
/// </summary>
public sealed class HardwareId : IEquatable<HardwareId>
{
    public const int Size = 20;

    private readonly byte[] _bytes;

    private HardwareId(byte[] bytes) => _bytes = bytes;

    public uint PlatformId => BinaryPrimitives.ReadUInt32LittleEndian(_bytes);

    public ReadOnlySpan<byte> Bytes => _bytes;

    public static HardwareId FromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length == Size
            ? new HardwareId(bytes.ToArray())
            : throw new ArgumentException($"a hardware id is {Size} bytes, got {bytes.Length}", nameof(bytes));

    public static bool TryParse(string? hex, out HardwareId id)
    {
        id = null!;
        if (hex is null)
        {
            return false;
        }

        string compact = hex.Replace("-", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (compact.Length != Size * 2)
        {
            return false;
        }

        try
        {
            id = new HardwareId(Convert.FromHexString(compact));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static HardwareId Parse(string hex) =>
        TryParse(hex, out HardwareId id)
            ? id
            : throw new FormatException($"a hardware id is {Size * 2} hex digits, got '{hex}'");

    public override string ToString() => Convert.ToHexString(_bytes);

    public bool Equals(HardwareId? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as HardwareId);

    public override int GetHashCode()
    {
        HashCode hash = default;
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }
}
