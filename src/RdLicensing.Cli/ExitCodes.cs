namespace RdLicensing.Cli;

/// <summary>The exit codes of <c>rdlic</c> (docs/cli.md). Scripts depend on the numbers: add, never renumber.</summary>
internal static class ExitCodes
{
    /// <summary>The verb did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>Bad arguments or usage: caught before any request was sent.</summary>
    public const int Usage = 1;

    /// <summary>The server does not know the named thing (license, key pack, host, key): HTTP 404.</summary>
    public const int NotFound = 2;

    /// <summary>A licensing rule refused: the revocation limit, or a license request answered "refused".</summary>
    public const int Refused = 3;

    /// <summary>No key, a wrong key, or a key whose role may not do this: HTTP 401 or 403.</summary>
    public const int Unauthorized = 4;

    /// <summary>The license server could not be reached.</summary>
    public const int Unreachable = 5;

    /// <summary>The server rejected the request: a validation problem (400/422) or a conflict (409).</summary>
    public const int Rejected = 6;

    /// <summary>Something failed that is not the user's mistake (a bug, a server error 5xx, an unexpected answer).</summary>
    public const int InternalError = 10;

    /// <summary>Interrupted (Ctrl+C) before the verb finished.</summary>
    public const int Cancelled = 130;
}
