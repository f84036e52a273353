namespace RdLicensing.Domain;

/// <summary>What kind of rule a <see cref="LicensingException"/> reports; the API maps it to 400, 404 or 409.</summary>
public enum LicensingErrorKind
{
    /// <summary>The input is malformed or out of range (HTTP 400).</summary>
    Invalid = 1,

    /// <summary>The thing named does not exist (HTTP 404).</summary>
    NotFound = 2,

    /// <summary>The input is well formed but the current state forbids the change (HTTP 409).</summary>
    Conflict = 3,
}

/// <summary>
/// A licensing rule refused a caller's input or command. Always raised before anything is changed, so the store's
/// transaction rolls back and nothing is half-written. Expected business outcomes (a refused CAL request, the 20 % rule)
/// are result values, not this exception.
/// </summary>
public sealed class LicensingException : Exception
{
    public LicensingException(LicensingErrorKind kind, string field, string message)
        : base(message)
    {
        Kind = kind;
        Field = field;
    }

    public LicensingException()
        : this(LicensingErrorKind.Invalid, "", "invalid input")
    {
    }

    public LicensingException(string message)
        : this(LicensingErrorKind.Invalid, "", message)
    {
    }

    public LicensingException(string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = LicensingErrorKind.Invalid;
        Field = "";
    }

    public LicensingErrorKind Kind { get; }

    /// <summary>The request field (camelCase, as in the REST API) the problem is about; empty when none.</summary>
    public string Field { get; }

    public static LicensingException Invalid(string field, string message) => new(LicensingErrorKind.Invalid, field, message);

    public static LicensingException NotFound(string field, string message) => new(LicensingErrorKind.NotFound, field, message);

    public static LicensingException Conflict(string field, string message) => new(LicensingErrorKind.Conflict, field, message);
}
