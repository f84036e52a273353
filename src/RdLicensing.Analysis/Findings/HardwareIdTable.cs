namespace RdLicensing.Analysis.Findings;

/// <summary>
/// Interns hardware ids compactly: a hex id of up to 24 bytes (a CLIENT_HARDWARE_ID is 20), with or without evenly spaced
/// separators, is kept as three 64-bit words and a layout, and written back the way it came; any other text is kept as a
/// string. Ids that differ only in case or separators are one id. The packed ids live in one chunked array of structs with
/// an <see cref="IdIndex"/> over it (about 60 bytes an id, nothing for the GC to trace); each id also keeps the head of
/// its list of (name, hardware id) pairs.
/// </summary>
internal sealed class HardwareIdTable
{
    private const int MaxPackedBytes = 24;

    private readonly ChunkedArray<Entry> _entries = new();
    private readonly IdIndex _packed = new();
    private readonly Dictionary<string, int> _texts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _textOf = [];

    public int Count => _entries.Count;

    /// <summary>The head of the id's pair list (-1 when none).</summary>
    public ref int FirstPair(int id) => ref _entries[id].FirstPair;

    public int Intern(string text)
    {
        if (TryPack(text, out Packed packed, out Layout layout))
        {
            int hash = Hash(packed);
            int slot = _packed.SlotOf(hash);
            for (; !_packed.IsEmpty(slot); slot = _packed.Next(slot))
            {
                if (_packed.HashAt(slot) == hash && _entries[_packed.IdAt(slot)].Packed == packed)
                {
                    return _packed.IdAt(slot);
                }
            }

            int added = _entries.Add(new Entry { Packed = packed, Layout = layout, Text = -1, FirstPair = -1 });
            _packed.Add(slot, hash, added);
            return added;
        }

        if (_texts.TryGetValue(text, out int textId))
        {
            return textId;
        }

        textId = _entries.Add(new Entry { Text = _textOf.Count, FirstPair = -1 });
        _textOf.Add(text);
        _texts.Add(text, textId);
        return textId;
    }

    /// <summary>The id as first seen (a new string each call for a packed id: for output only).</summary>
    public string Text(int id)
    {
        ref Entry entry = ref _entries[id];
        return entry.Text >= 0 ? _textOf[entry.Text] : Format(entry.Packed, entry.Layout);
    }

    /// <summary>Whether the id is the empty text.</summary>
    public bool IsEmpty(int id) => _entries[id].Text >= 0 && _textOf[_entries[id].Text].Length == 0;

    private static int Hash(in Packed packed) => HashCode.Combine(packed.A, packed.B, packed.C, packed.Length);

    private static bool TryPack(string text, out Packed packed, out Layout layout)
    {
        packed = default;
        layout = default;
        ReadOnlySpan<char> span = text.AsSpan().Trim();
        if (span.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return false; // rare; keep it as text so that it is written back as it came
        }

        char separator = '\0';
        int group = 0, run = 0, digits = 0;
        bool lower = false, upper = false;
        Span<byte> bytes = stackalloc byte[MaxPackedBytes];
        int high = -1;
        foreach (char c in span)
        {
            int value = char.IsAsciiDigit(c) ? c - '0' : c is >= 'a' and <= 'f' ? c - 'a' + 10 : c is >= 'A' and <= 'F' ? c - 'A' + 10 : -1;
            if (value < 0)
            {
                if (c is not ('-' or ' ' or ':') || run == 0 || (separator != '\0' && c != separator) || (group != 0 && run != group))
                {
                    return false;
                }

                separator = c;
                group = run;
                run = 0;
                continue;
            }

            lower |= c is >= 'a' and <= 'f';
            upper |= c is >= 'A' and <= 'F';
            if (digits / 2 >= MaxPackedBytes)
            {
                return false;
            }

            if (high < 0)
            {
                high = value;
            }
            else
            {
                bytes[digits / 2] = (byte)((high << 4) | value);
                high = -1;
            }

            digits++;
            run++;
        }

        if (digits == 0 || high >= 0 || (lower && upper) || (separator != '\0' && (run == 0 || run > group)) || group > 255)
        {
            return false;
        }

        int length = digits / 2;
        packed = new Packed(
            BitConverter.ToUInt64(bytes[..8]), BitConverter.ToUInt64(bytes[8..16]), BitConverter.ToUInt64(bytes[16..24]), (byte)length);
        layout = new Layout(separator, (byte)group, lower);
        return true;
    }

    private static string Format(Packed packed, Layout layout)
    {
        Span<byte> bytes = stackalloc byte[MaxPackedBytes];
        BitConverter.TryWriteBytes(bytes[..8], packed.A);
        BitConverter.TryWriteBytes(bytes[8..16], packed.B);
        BitConverter.TryWriteBytes(bytes[16..24], packed.C);
        string hex = Convert.ToHexString(bytes[..packed.Length]);
        if (layout.Lower)
        {
            hex = hex.ToLowerInvariant();
        }

        if (layout.Separator == '\0' || layout.Group == 0)
        {
            return hex;
        }

        var builder = new System.Text.StringBuilder(hex.Length + (hex.Length / layout.Group));
        for (int i = 0; i < hex.Length; i += layout.Group)
        {
            if (i > 0)
            {
                builder.Append(layout.Separator);
            }

            builder.Append(hex, i, Math.Min(layout.Group, hex.Length - i));
        }

        return builder.ToString();
    }

    private readonly record struct Packed(ulong A, ulong B, ulong C, byte Length);

    private readonly record struct Layout(char Separator, byte Group, bool Lower);

    private struct Entry
    {
        public Packed Packed;
        public Layout Layout;
        public int Text; // index into _textOf, or -1 for a packed id
        public int FirstPair;
    }
}
