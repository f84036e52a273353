namespace RdLicensing.Analysis.Findings;

/// <summary>
/// An open-addressing hash index of dense ids (0, 1, 2, …) whose keys live elsewhere (a <see cref="ChunkedArray{T}"/> or an
/// arena): each slot holds an id and its key's hash (eight bytes, instead of a dictionary entry holding a copy of the key),
/// and there is no object per key for the GC to trace. The hash in the slot spares a probe most key comparisons (each a
/// cache miss into the keys) and lets the index grow without reading the keys. The caller probes with
/// <see cref="SlotOf"/>/<see cref="Next"/>, compares its own key for each slot whose <see cref="HashAt"/> matches, and adds
/// a new id at the empty slot the probe ended on. Linear probing, power-of-two capacity, at most 3/4 full.
/// </summary>
internal sealed class IdIndex
{
    private ulong[] _slots = new ulong[256]; // (uint)hash << 32 | (id + 1); 0 = empty
    private int _count;

    /// <summary>The first slot to probe for <paramref name="hash"/>.</summary>
    public int SlotOf(int hash) => hash & (_slots.Length - 1);

    /// <summary>The slot after <paramref name="slot"/>.</summary>
    public int Next(int slot) => (slot + 1) & (_slots.Length - 1);

    /// <summary>Whether <paramref name="slot"/> is empty: a probe that reaches it has not found its key.</summary>
    public bool IsEmpty(int slot) => _slots[slot] == 0;

    /// <summary>The hash of the key in the (non-empty) <paramref name="slot"/>.</summary>
    public int HashAt(int slot) => (int)(_slots[slot] >> 32);

    /// <summary>The id in the (non-empty) <paramref name="slot"/>.</summary>
    public int IdAt(int slot) => (int)(uint)_slots[slot] - 1;

    /// <summary>Puts <paramref name="id"/>, whose key hashes to <paramref name="hash"/>, into the empty <paramref name="slot"/> a probe ended on.</summary>
    public void Add(int slot, int hash, int id)
    {
        _slots[slot] = ((ulong)(uint)hash << 32) | (uint)(id + 1);
        _count++;
        if (_count > _slots.Length / 4 * 3)
        {
            Grow();
        }
    }

    private void Grow()
    {
        ulong[] old = _slots;
        _slots = new ulong[old.Length * 2];
        int mask = _slots.Length - 1;
        foreach (ulong entry in old)
        {
            if (entry != 0)
            {
                int slot = (int)(entry >> 32) & mask;
                while (_slots[slot] != 0)
                {
                    slot = (slot + 1) & mask;
                }

                _slots[slot] = entry;
            }
        }
    }
}
