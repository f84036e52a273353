namespace RdLicensing.Wire;

/// <summary>What was wrong with malformed input (IronRDP's DecodeErrorKind, as a closed set).</summary>
public enum DecodeErrorKind
{
    /// <summary>The input ended before the structure did.</summary>
    NotEnoughBytes,

    /// <summary>A field holds a value the spec does not allow.</summary>
    InvalidField,

    /// <summary>A message type arrived that is not valid here.</summary>
    UnexpectedMessageType,

    /// <summary>A version the decoder does not support.</summary>
    UnsupportedVersion,

    /// <summary>Bytes were left over where the structure must end.</summary>
    TrailingBytes,
}

/// <summary>
/// The one exception every decoder in RdLicensing.Wire throws for malformed input. It names the structure
/// (e.g. "SERVER_LICENSE_REQUEST") and, where it applies, the field. Caller misuse raises ArgumentException instead.
/// </summary>
public sealed class ProtocolException : Exception
{
    public ProtocolException(DecodeErrorKind kind, string structure, string? field, string reason)
        : base(field is null ? $"{structure}: {reason}" : $"{structure}.{field}: {reason}")
    {
        Kind = kind;
        Structure = structure;
        Field = field;
        Reason = reason;
    }

    public DecodeErrorKind Kind { get; }

    public string Structure { get; }

    public string? Field { get; }

    public string Reason { get; }

    public static ProtocolException NotEnoughBytes(string structure, string? field, int expected, int received) =>
        new(DecodeErrorKind.NotEnoughBytes, structure, field, $"not enough bytes: expected {expected}, received {received}");

    public static ProtocolException InvalidField(string structure, string field, string reason) =>
        new(DecodeErrorKind.InvalidField, structure, field, reason);
}
