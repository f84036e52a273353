using System.Net;
using System.Text.Json;

namespace RdLicensing.Client;

/// <summary>
/// The license server answered with an error status. Carries the status code and the RFC 9457 problem details the
/// server sent (title, detail, the per-field <see cref="Errors"/> of a validation problem, and any extension members).
/// </summary>
public sealed class LicensingApiException : Exception
{
    public LicensingApiException(HttpStatusCode statusCode, ProblemDetailsData problem, string method, Uri requestUri)
        : base(Describe(statusCode, problem, method, requestUri))
    {
        StatusCode = statusCode;
        Problem = problem;
        Method = method;
        RequestUri = requestUri;
    }

    /// <summary>The HTTP status code of the answer.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The problem details of the answer (empty members when the server sent no problem document).</summary>
    public ProblemDetailsData Problem { get; }

    /// <summary>The HTTP method of the failed request.</summary>
    public string Method { get; }

    /// <summary>The absolute address of the failed request.</summary>
    public Uri RequestUri { get; }

    /// <summary>The title of the problem (the reason phrase when the server sent none).</summary>
    public string? Title => Problem.Title;

    /// <summary>The detail of the problem.</summary>
    public string? Detail => Problem.Detail;

    /// <summary>Validation errors by field name; empty when the problem is not a validation problem.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors => Problem.Errors;

    /// <summary>Extension members of the problem document (e.g. the revocation refusal fields).</summary>
    public IReadOnlyDictionary<string, JsonElement> Extensions => Problem.Extensions;

    private static string Describe(HttpStatusCode statusCode, ProblemDetailsData problem, string method, Uri requestUri)
    {
        string what = problem.Detail ?? problem.Title ?? statusCode.ToString();
        return $"{method} {requestUri.AbsolutePath} failed with {(int)statusCode} ({statusCode}): {what}";
    }
}

/// <summary>
/// The license server could not be reached (connection refused, name not resolved, no answer in time): no request
/// reached the server's logic, or the connection broke before an answer arrived.
/// </summary>
public sealed class LicensingServerUnreachableException : Exception
{
    public LicensingServerUnreachableException(Uri server, string reason, Exception? innerException)
        : base($"license server {server} is unreachable: {reason}", innerException)
    {
        Server = server;
        Reason = reason;
    }

    /// <summary>The base address of the server that could not be reached.</summary>
    public Uri Server { get; }

    /// <summary>Why it could not be reached, lower case.</summary>
    public string Reason { get; }
}
