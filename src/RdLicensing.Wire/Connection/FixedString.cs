using System.Text;

namespace RdLicensing.Wire.Connection;

/// <summary>Fixed-size, NUL-padded UTF-16LE string fields (clientName, imeFileName, clientDigProductId).</summary>
internal static class FixedString
{
    public static string ReadUtf16(ref WireReader reader, int size, string structure, string field)
    {
        ReadOnlySpan<byte> bytes = reader.ReadBytes(size, structure, field);
        int end = 0;
        while (end + 1 < bytes.Length && (bytes[end] != 0 || bytes[end + 1] != 0))
        {
            end += 2;
        }

        return Encoding.Unicode.GetString(bytes[..end]);
    }

    public static void WriteUtf16(ref WireWriter writer, string value, int size)
    {
        byte[] encoded = Encoding.Unicode.GetBytes(value);
        if (encoded.Length > size - 2)
        {
            throw new ArgumentException($"\"{value}\" does not fit in {size} bytes with its terminator", nameof(value));
        }

        writer.WriteBytes(encoded);
        writer.WriteZeros(size - encoded.Length);
    }
}
