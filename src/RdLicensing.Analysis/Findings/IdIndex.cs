namespace RdLicensing.Analysis.Findings;

/// <summary>
/// An open-addressing hash index of dense ids (0, 1, 2, …) whose keys live elsewhere (a <see cref="ChunkedArray{T}"/> or an
/// arena): four bytes a slot instead of a dictionary entry holding a copy of the key, and no object per key for the GC to
/// trace. The caller probes with <see cref="SlotOf"/>/<see cref="Next"/>, compares its own keys for each id, and adds a new
/// id at the empty slot the probe ended on. Linear probing, power-of-two capacity, at most 3/4 full.
/// </summary>
internal sealed class IdIndex
{
    private readonly Func<int, int> _hashOf;
    private int[] _slots = new int[256]; // id + 1; 0 = empty
    private int _count;

    /// <summary>An empty index; <paramref name="hashOf"/> gives an id's hash again when the index grows.</summary>
    public IdIndex(Func<int, int> hashOf) => _hashOf = hashOf;

    /// <summary>The first slot to probe for <paramref name="hash"/>.</summary>
    public int SlotOf(int hash) => hash & (_slots.Length - 1);

    /// <summary>The slot after <paramref name="slot"/>.</summary>
    public int Next(int slot) => (slot + 1) & (_slots.Length - 1);

    /// <summary>The id in <paramref name="slot"/>, or -1 when the slot is empty (the key is not in the index).</summary>
    public int IdAt(int slot) => _slots[slot] - 1;

    /// <summary>Puts <paramref name="id"/> into the empty <paramref name="slot"/> a probe ended on.</summary>
    public void Add(int slot, int id)
    {
        _slots[slot] = id + 1;
        _count++;
        if (_count > _slots.Length / 4 * 3)
        {
            Rehash();
        }
    }

    private void Rehash()
    {
        int[] old = _slots;
        _slots = new int[old.Length * 2];
        int mask = _slots.Length - 1;
        foreach (int entry in old)
        {
            if (entry != 0)
            {
                int slot = _hashOf(entry - 1) & mask;
                while (_slots[slot] != 0)
                {
                    slot = (slot + 1) & mask;
                }

                _slots[slot] = entry;
            }
        }
    }
}
