namespace RdLicensing.Analysis.Findings;

/// <summary>
/// A growable array of structs kept in fixed-size chunks: growing never copies or doubles (no transient old+new copy of a
/// large array, no half-empty tail), and elements are reached by reference. Indexes are those handed out by
/// <see cref="Add"/>; the chunk size is fixed, never sized by input.
/// </summary>
internal sealed class ChunkedArray<T>
    where T : struct
{
    private const int Shift = 14;
    private const int ChunkLength = 1 << Shift;
    private const int Mask = ChunkLength - 1;

    private T[][] _chunks = new T[4][];

    /// <summary>Elements added.</summary>
    public int Count { get; private set; }

    /// <summary>The element at <paramref name="index"/> (0 ≤ index &lt; <see cref="Count"/>).</summary>
    public ref T this[int index] => ref _chunks[index >> Shift][index & Mask];

    /// <summary>Appends <paramref name="value"/> and returns its index.</summary>
    public int Add(in T value)
    {
        int index = Count;
        int chunk = index >> Shift;
        if (chunk == _chunks.Length)
        {
            Array.Resize(ref _chunks, _chunks.Length * 2);
        }

        (_chunks[chunk] ??= new T[ChunkLength])[index & Mask] = value;
        Count = index + 1;
        return index;
    }
}
