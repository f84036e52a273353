namespace RdLicensing.Analysis.Findings;

/// <summary>
/// Interns computer names case-insensitively (ordinal, as Windows compares NetBIOS names) into one character arena: no
/// string object per name, so a million distinct names cost their characters and 32 bytes, and nothing for the GC to trace.
/// The first spelling seen is the one <see cref="Text"/> gives back. Each name also keeps the head of its list of
/// (name, hardware id) pairs.
/// </summary>
internal sealed class NameTable
{
    private const int ArenaChunkLength = 1 << 16;

    private readonly List<char[]> _arena = [];
    private readonly ChunkedArray<Entry> _entries = new();
    private readonly IdIndex _index = new();
    private int _used; // characters used of the last arena chunk

    /// <summary>Distinct names.</summary>
    public int Count => _entries.Count;

    /// <summary>The head of the name's pair list (-1 when none).</summary>
    public ref int FirstPair(int id) => ref _entries[id].FirstPair;

    /// <summary>The id of <paramref name="name"/>, adding it when new.</summary>
    public int Intern(ReadOnlySpan<char> name)
    {
        int hash = string.GetHashCode(name, StringComparison.OrdinalIgnoreCase);
        int slot = _index.SlotOf(hash);
        for (; !_index.IsEmpty(slot); slot = _index.Next(slot))
        {
            if (_index.HashAt(slot) == hash && Span(_entries[_index.IdAt(slot)]).Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return _index.IdAt(slot);
            }
        }

        (int chunk, int offset) = Store(name);
        int added = _entries.Add(new Entry { Chunk = chunk, Offset = offset, Length = name.Length, FirstPair = -1 });
        _index.Add(slot, hash, added);
        return added;
    }

    /// <summary>Whether the name is empty.</summary>
    public bool IsEmpty(int id) => _entries[id].Length == 0;

    /// <summary>The name as first seen (a new string each call: for output only).</summary>
    public string Text(int id) => new(Span(_entries[id]));

    private ReadOnlySpan<char> Span(in Entry entry) => _arena[entry.Chunk].AsSpan(entry.Offset, entry.Length);

    private (int Chunk, int Offset) Store(ReadOnlySpan<char> name)
    {
        if (_arena.Count == 0 || name.Length > ArenaChunkLength - _used)
        {
            // A name longer than a chunk gets a chunk of its own (its length was already read into memory by the caller).
            _arena.Add(new char[Math.Max(ArenaChunkLength, name.Length)]);
            _used = 0;
        }

        int offset = _used;
        name.CopyTo(_arena[^1].AsSpan(offset));
        _used += name.Length;
        return (_arena.Count - 1, offset);
    }

    private struct Entry
    {
        public int Chunk;
        public int Offset;
        public int Length;
        public int FirstPair;
    }
}
