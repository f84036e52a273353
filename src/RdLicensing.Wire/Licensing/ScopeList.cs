namespace RdLicensing.Wire.Licensing;

/// <summary>
/// [MS-RDPELE] 2.2.2.1.2 Scope List (SCOPE_LIST): ScopeCount, then that many SCOPE blobs.
/// https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-rdpele/3d3f160a-3ab3-4dfb-ba4e-47c27cd79409 (section 2.2.2.1.2)
/// </summary>
public sealed class ScopeList
{
    public const string Name = "SCOPE_LIST";

    /// <summary>The most scopes a list may hold (IronRDP MAX_SCOPE_COUNT; Windows sends one).</summary>
    public const int MaxScopeCount = 256;

    private readonly Scope[] _scopes;

    public ScopeList(IEnumerable<Scope> scopes)
    {
        _scopes = [.. scopes];
        if (_scopes.Length > MaxScopeCount)
        {
            throw new ArgumentException($"a scope list holds at most {MaxScopeCount} scopes, got {_scopes.Length}", nameof(scopes));
        }
    }

    public uint ScopeCount => (uint)_scopes.Length;

    public IReadOnlyList<Scope> ScopeArray => _scopes;

    public int EncodedSize
    {
        get
        {
            int size = 4; // ScopeCount
            foreach (Scope scope in _scopes)
            {
                size += scope.EncodedSize; // ScopeArray
            }

            return size;
        }
    }

    public static ScopeList Decode(ref WireReader reader)
    {
        uint count = reader.ReadU32LE(Name, "ScopeCount");

        // The count is capped before any list is sized by it.
        if (count > MaxScopeCount)
        {
            throw ProtocolException.InvalidField(Name, "ScopeCount", $"{count} scopes is more than the {MaxScopeCount} allowed");
        }

        var scopes = new Scope[count];
        for (int i = 0; i < scopes.Length; i++)
        {
            scopes[i] = Scope.Decode(ref reader);
        }

        return new ScopeList(scopes);
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU32LE(ScopeCount);
        foreach (Scope scope in _scopes)
        {
            scope.Encode(ref writer);
        }
    }
}
